function Add-OSUpgradeDistributionPoint {
    <#
    .SYNOPSIS
        Adds a distribution point: a folder that holds packages for clients to run setup from.
    .DESCRIPTION
        The path must be absolute: a local folder, a mounted share, or a UNC path on Windows. The
        folder is created if needed, and the cmdlet proves it can write there before it records the
        point. Packages land in <Path>\<package ID>\ as plain trees setup.exe can run from. Only
        adding makes the folder: a point whose folder is gone later (its share not mounted) is
        refused by distributions and validations, never given content on the local disk. On
        Linux and other Unix systems, a folder that is itself a mount point is refused while
        nothing is mounted there; remove the point with -Force and add it again to use the
        folder as a plain one.
    .PARAMETER Name
        The point's name, unique in the site (any letter case).
    .PARAMETER Path
        The point's absolute folder path.
    .PARAMETER Description
        A description.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be added without adding it.
    .PARAMETER Confirm
        Asks before adding.
    .EXAMPLE
        Add-OSUpgradeDistributionPoint -Name DP1 -Path \\fs01\OSContent -Description 'Head office'

        Adds a share as a distribution point.
    .EXAMPLE
        Add-OSUpgradeDistributionPoint -Name Lab -Path /srv/osupgrade/lab

        Adds a local folder on Linux.
    .INPUTS
        None.
    .OUTPUTS
        OSUpgrade.DistributionPoint
    .LINK
        Start-OSUpgradeContentDistribution
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.DistributionPoint])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string] $Name,

        [Parameter(Mandatory, Position = 1)]
        [string] $Path,

        [Parameter()]
        [string] $Description,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet

    if (-not $PSCmdlet.ShouldProcess($Path, "Add distribution point '$Name'")) {
        return
    }
    $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
    try {
        $site.AddDistributionPoint($Name, $Path, $Description)
    }
    catch {
        $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $Path))
    }
    finally {
        $site.Dispose()
    }
}
