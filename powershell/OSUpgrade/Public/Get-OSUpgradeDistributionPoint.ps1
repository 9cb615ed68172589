function Get-OSUpgradeDistributionPoint {
    <#
    .SYNOPSIS
        Gets distribution points.
    .DESCRIPTION
        Gets the distribution points of a site, all of them or those whose name matches (wildcards *
        and ?, any letter case). A name without wildcards that matches nothing is a non-terminating
        error.
    .PARAMETER Name
        The point's name, or a wildcard pattern.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeDistributionPoint

        Lists every distribution point.
    .EXAMPLE
        Get-OSUpgradeDistributionPoint -Name 'Branch*' | Remove-OSUpgradeDistributionPoint -WhatIf

        Shows which branch points would be removed.
    .INPUTS
        None.
    .OUTPUTS
        OSUpgrade.DistributionPoint
    .LINK
        Add-OSUpgradeDistributionPoint
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.DistributionPoint])]
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
        $points = $site.GetDistributionPoints()
    }
    catch {
        $PSCmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $Name))
    }
    finally {
        $site.Dispose()
    }
    Select-OSUpgradeRecordByName -Record $points -Name $Name -What 'distribution point' -Cmdlet $PSCmdlet
}
