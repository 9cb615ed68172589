function Update-OSUpgradeDistributionPoint {
    <#
    .SYNOPSIS
        Brings every distribution point that holds a package to its current content version.
    .DESCRIPTION
        Does what Configuration Manager's Update Distribution Points does. With -ReloadFromSource,
        the package's source folder is read again first, and its content, when changed, becomes the
        next content version. Each point then gets only the files that differ; a job that fails
        leaves its point at the previous version and writes a non-terminating error.
    .PARAMETER PackageId
        The package ID. Takes values from the pipeline by the property names Id and PackageId.
    .PARAMETER ReloadFromSource
        Reads the package's source folder again first ("reload this package from its source").
    .PARAMETER ThrottleLimit
        How many points are served at once. Default 4.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be updated without doing it.
    .PARAMETER Confirm
        Asks before updating each package.
    .EXAMPLE
        Update-OSUpgradeDistributionPoint -PackageId OSU00001 -ReloadFromSource

        Picks up changes in the source folder and sends them to every point.
    .EXAMPLE
        Get-OSUpgradeDistributionStatus -State Failed | Update-OSUpgradeDistributionPoint

        Retries every failed distribution.
    .INPUTS
        System.String. Package IDs, by property name.
    .OUTPUTS
        OSUpgrade.DistributionStatus
    .LINK
        Start-OSUpgradeContentDistribution
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.DistributionStatus])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string[]] $PackageId,

        [Parameter()]
        [switch] $ReloadFromSource,

        [Parameter()]
        [ValidateRange(1, 64)]
        [Alias('Workers')]
        [int] $ThrottleLimit = 4,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Records piped in carry their own site (SitePath); each site opens once.
        $sites = @{}
        $updated = New-Object -TypeName 'System.Collections.Generic.HashSet[string]'
        $activity = 'Updating distribution points'
        $progress = New-OSUpgradeProgress -Activity $activity
        $options = New-Object -TypeName OSUpgrade.DistributeOptions -Property @{ Workers = $ThrottleLimit }
    }

    process {
        # Several status records of one package come down the pipeline; update it once.
        $packages = @($PackageId | Where-Object { $updated.Add("$SitePath|$_") -and $PSCmdlet.ShouldProcess($_, 'Update distribution points') })
        if (-not $packages) {
            return
        }
        $command = $PSCmdlet
        Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $packages -Call {
            param($site, $package)
            if ($ReloadFromSource) {
                $null = $site.ReloadPackageContent($package, $progress, [System.Threading.CancellationToken]::None)
            }
            $statuses = $site.RedistributeContent($package, $options, $progress, [System.Threading.CancellationToken]::None)
            Write-OSUpgradeDistributionResult -Status $statuses -Cmdlet $command
        }
    }

    end {
        Write-Progress -Id 1 -Activity $activity -Completed
        Close-OSUpgradeSite -Cache $sites
    }
}
