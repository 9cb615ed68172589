function New-OSUpgradeDistributionPointGroup {
    <#
    .SYNOPSIS
        Creates a distribution point group.
    .DESCRIPTION
        Does what Configuration Manager's New-CMDistributionPointGroup does: a group gathers
        distribution points that are given the same packages. Add points with
        Add-OSUpgradeDistributionPointToGroup and packages with Start-OSUpgradeContentDistribution
        -DistributionPointGroupName; a point that joins the group later is given its packages.
    .PARAMETER Name
        The group's name, unique in the site (any letter case); none of * ? [ ].
    .PARAMETER Description
        A description.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be created without creating it.
    .PARAMETER Confirm
        Asks before creating the group.
    .EXAMPLE
        New-OSUpgradeDistributionPointGroup -Name Branches -Description 'Branch offices'

        Creates an empty group.
    .EXAMPLE
        New-OSUpgradeDistributionPointGroup Branches; Get-OSUpgradeDistributionPoint 'Branch*' | Add-OSUpgradeDistributionPointToGroup -DistributionPointGroupName Branches

        Creates a group and adds every branch point to it.
    .INPUTS
        None.
    .OUTPUTS
        OSUpgrade.DistributionPointGroup
    .LINK
        Add-OSUpgradeDistributionPointToGroup
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.DistributionPointGroup])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string] $Name,

        [Parameter()]
        [string] $Description,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet

    if (-not $PSCmdlet.ShouldProcess($Name, 'Create distribution point group')) {
        return
    }
    $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
    try {
        $site.CreateDistributionPointGroup($Name, $Description)
    }
    catch {
        $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $Name))
    }
    finally {
        $site.Dispose()
    }
}
