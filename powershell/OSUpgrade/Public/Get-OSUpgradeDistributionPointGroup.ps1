function Get-OSUpgradeDistributionPointGroup {
    <#
    .SYNOPSIS
        Gets distribution point groups.
    .DESCRIPTION
        Gets the groups of a site, all of them or those whose name matches (PowerShell wildcards,
        any letter case), or those with the given IDs, with their points (Members) and the packages
        they carry (PackageIds). A name without wildcards, or an ID, that matches nothing is a
        non-terminating error.
    .PARAMETER Name
        The group's name, or a wildcard pattern.
    .PARAMETER Id
        The group's ID (Configuration Manager's GroupID: a GUID, with or without its braces, any
        letter case). It stays when the group is renamed.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeDistributionPointGroup

        Lists every group with its points and packages.
    .EXAMPLE
        Get-OSUpgradeDistributionPointGroup 'Branch*' | Select-Object -ExpandProperty Members

        Lists the points of the branch groups.
    .EXAMPLE
        $id = (Get-OSUpgradeDistributionPointGroup -Name Branches).Id
        Get-OSUpgradeDistributionPointGroup -Id $id

        Gets a group by its ID, which a script can keep while the group's name changes.
    .INPUTS
        None.
    .OUTPUTS
        OSUpgrade.DistributionPointGroup
    .LINK
        New-OSUpgradeDistributionPointGroup
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    [OutputType([OSUpgrade.DistributionPointGroup])]
    param(
        [Parameter(Position = 0, ParameterSetName = 'ByName')]
        [SupportsWildcards()]
        [string] $Name = '*',

        [Parameter(Mandatory, ParameterSetName = 'ById')]
        [Alias('GroupId')]
        [ValidateNotNullOrEmpty()]
        [string[]] $Id,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet

    $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
    try {
        $groups = $site.GetDistributionPointGroups()
    }
    catch {
        $PSCmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $Name))
    }
    finally {
        $site.Dispose()
    }
    if ($PSCmdlet.ParameterSetName -eq 'ByName') {
        Select-OSUpgradeRecordByName -Record $groups -Name $Name -What 'distribution point group' -Cmdlet $PSCmdlet
        return
    }
    foreach ($wanted in $Id) {
        $bare = $wanted.Trim('{', '}')
        $group = @($groups | Where-Object { $_.Id.Trim('{', '}') -eq $bare })
        if ($group.Count -eq 0) {
            $missing = New-Object -TypeName OSUpgrade.OSUpgradeNotFoundException -ArgumentList "distribution point group with ID '$wanted' does not exist"
            $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Exception $missing -TargetObject $wanted))
        }
        $group
    }
}
