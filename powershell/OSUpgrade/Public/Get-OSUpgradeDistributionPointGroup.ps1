function Get-OSUpgradeDistributionPointGroup {
    <#
    .SYNOPSIS
        Gets distribution point groups.
    .DESCRIPTION
        Gets the groups of a site, all of them or those whose name matches (PowerShell wildcards,
        any letter case), with their points (Members) and the packages they carry (PackageIds). A
        name without wildcards that matches nothing is a non-terminating error.
    .PARAMETER Name
        The group's name, or a wildcard pattern.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeDistributionPointGroup

        Lists every group with its points and packages.
    .EXAMPLE
        Get-OSUpgradeDistributionPointGroup 'Branch*' | Select-Object -ExpandProperty Members

        Lists the points of the branch groups.
    .INPUTS
        None.
    .OUTPUTS
        OSUpgrade.DistributionPointGroup
    .LINK
        New-OSUpgradeDistributionPointGroup
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.DistributionPointGroup])]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string] $Name = '*',

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
    Select-OSUpgradeRecordByName -Record $groups -Name $Name -What 'distribution point group' -Cmdlet $PSCmdlet
}
