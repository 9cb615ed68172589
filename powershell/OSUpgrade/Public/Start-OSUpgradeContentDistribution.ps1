function Start-OSUpgradeContentDistribution {
    <#
    .SYNOPSIS
        Distributes upgrade packages to distribution points.
    .DESCRIPTION
        Does what Configuration Manager's Distribute Content does. Every package taken from the
        pipeline or -PackageId goes to every point of -DistributionPointName, several points at once.
        Only files the point does not already hold are copied, each verified against the content
        library's hash as it is written; the point switches to the new version only once all of it
        is there. A job that fails leaves its point at the previous version, writes a
        non-terminating error, and the others go on. Ctrl+C cancels every job.
    .PARAMETER PackageId
        The packages to distribute. Takes values from the pipeline by the property name Id.
    .PARAMETER DistributionPointName
        The points to distribute to.
    .PARAMETER Workers
        How many jobs (package x point) run at once. Default 4.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be distributed without doing it.
    .PARAMETER Confirm
        Asks before distributing.
    .EXAMPLE
        Get-OSUpgradePackage -Name 'Win11*' | Start-OSUpgradeContentDistribution -DistributionPointName DP1, DP2

        Sends every Windows 11 package to two points.
    .EXAMPLE
        Start-OSUpgradeContentDistribution -PackageId OSU00001 -DistributionPointName (Get-OSUpgradeDistributionPoint).Name -Workers 8

        Sends one package to every point, eight at a time.
    .INPUTS
        System.String. Package IDs, by the property name Id.
    .OUTPUTS
        OSUpgrade.DistributionStatus
    .LINK
        Get-OSUpgradeDistributionStatus
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.DistributionStatus])]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string[]] $PackageId,

        [Parameter(Mandatory)]
        [string[]] $DistributionPointName,

        [Parameter()]
        [ValidateRange(1, 64)]
        [int] $Workers = 4,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        # Packages piped in carry their own site (SitePath): each site distributes its own, once.
        $packagesBySite = [ordered]@{}
    }

    process {
        foreach ($id in $PackageId) {
            if ($PSCmdlet.ShouldProcess("$id to $($DistributionPointName -join ', ')", 'Distribute content')) {
                if (-not $packagesBySite.Contains($SitePath)) {
                    $packagesBySite[$SitePath] = New-Object -TypeName 'System.Collections.Generic.List[string]'
                }
                $packagesBySite[$SitePath].Add($id)
            }
        }
    }

    end {
        $activity = 'Distributing content'
        $progress = New-OSUpgradeProgress -Activity $activity
        $options = New-Object -TypeName OSUpgrade.DistributeOptions -Property @{ Workers = $Workers }
        foreach ($entry in $packagesBySite.GetEnumerator()) {
            $packages = $entry.Value
            $site = Open-OSUpgradeSite -SitePath $entry.Key -Cmdlet $PSCmdlet
            try {
                $statuses = $site.DistributeContent($packages, [string[]] $DistributionPointName, $options, $progress, [System.Threading.CancellationToken]::None)
            }
            catch {
                $PSCmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Exception $_.Exception -TargetObject ($packages -join ', ')))
            }
            finally {
                Write-Progress -Id 1 -Activity $activity -Completed
                $site.Dispose()
            }
            Write-OSUpgradeDistributionResult -Status $statuses -Cmdlet $PSCmdlet
        }
    }
}
