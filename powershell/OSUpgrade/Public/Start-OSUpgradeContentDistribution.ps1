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
    .PARAMETER DistributionPoint
        The points to distribute to, as Get-OSUpgradeDistributionPoint outputs them: piped in,
        with the packages named by -PackageId.
    .PARAMETER DistributionPointGroupName
        A distribution point group: the packages go to each of its points, and the group carries
        them from then on, so that a point added to it later is given them too.
    .PARAMETER ThrottleLimit
        How many jobs (package x point) run at once (alias -Workers). Default 4. The jobs run
        together read each file they lack from the content library once and write it to each of
        their points, so four points cost little more than one.
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
        Get-OSUpgradeDistributionPoint -Name 'Branch*' | Start-OSUpgradeContentDistribution -PackageId OSU00001

        Sends one package to every branch office point.
    .EXAMPLE
        Start-OSUpgradeContentDistribution -PackageId OSU00001 -DistributionPointName (Get-OSUpgradeDistributionPoint).Name -ThrottleLimit 8

        Sends one package to every point, eight at a time.
    .EXAMPLE
        Get-OSUpgradePackage -Name 'Win11*' | Start-OSUpgradeContentDistribution -DistributionPointGroupName Branches

        Sends the Windows 11 packages to every point of a group, and to the points that join it later.
    .INPUTS
        System.String. Package IDs, by the property name Id.
    .OUTPUTS
        OSUpgrade.DistributionStatus
    .LINK
        Get-OSUpgradeDistributionStatus
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ByName')]
    [OutputType([OSUpgrade.DistributionStatus])]
    param(
        [Parameter(Mandatory, ParameterSetName = 'ByName', ValueFromPipelineByPropertyName)]
        [Parameter(Mandatory, ParameterSetName = 'ByPoint')]
        [Parameter(Mandatory, ParameterSetName = 'ByGroup', ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string[]] $PackageId,

        [Parameter(Mandatory, ParameterSetName = 'ByName')]
        [string[]] $DistributionPointName,

        [Parameter(Mandatory, ParameterSetName = 'ByPoint', ValueFromPipeline)]
        [OSUpgrade.DistributionPoint[]] $DistributionPoint,

        [Parameter(Mandatory, ParameterSetName = 'ByGroup')]
        [string] $DistributionPointGroupName,

        [Parameter()]
        [ValidateRange(1, 64)]
        [Alias('Workers')]
        [int] $ThrottleLimit = 4,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Packages piped in carry their own site (SitePath): each site distributes its own, once.
        # Points piped in are gathered the same way, for the packages -PackageId names.
        $packagesBySite = [ordered]@{}
        $pointsBySite = [ordered]@{}
    }

    process {
        $key = "$SitePath"
        if ($DistributionPoint) {
            $key = "$($DistributionPoint[0].SitePath)"
            if (-not $pointsBySite.Contains($key)) {
                $pointsBySite[$key] = New-Object -TypeName 'System.Collections.Generic.List[string]'
            }
            $DistributionPoint | ForEach-Object { $pointsBySite[$key].Add($_.Name) }
        }
        foreach ($id in $PackageId) {
            if (-not $packagesBySite.Contains($key)) {
                $packagesBySite[$key] = New-Object -TypeName 'System.Collections.Generic.List[string]'
            }
            if (-not $packagesBySite[$key].Contains($id)) {
                $packagesBySite[$key].Add($id)
            }
        }
    }

    end {
        $activity = 'Distributing content'
        $progress = New-OSUpgradeProgress -Activity $activity
        $options = New-Object -TypeName OSUpgrade.DistributeOptions -Property @{ Workers = $ThrottleLimit }
        foreach ($entry in $packagesBySite.GetEnumerator()) {
            $packages = $entry.Value
            $points = [string[]] $DistributionPointName
            if ($pointsBySite.Contains($entry.Key)) {
                $points = [string[]] $pointsBySite[$entry.Key]
            }
            $destination = $points -join ', '
            if ($DistributionPointGroupName) {
                $destination = "distribution point group '$DistributionPointGroupName'"
            }
            if (-not $PSCmdlet.ShouldProcess("$($packages -join ', ') to $destination", 'Distribute content')) {
                continue
            }
            $site = Open-OSUpgradeSite -SitePath $entry.Key -Cmdlet $PSCmdlet
            try {
                $none = [System.Threading.CancellationToken]::None
                if ($DistributionPointGroupName) {
                    $statuses = $site.DistributeContentToGroup($packages, $DistributionPointGroupName, $options, $progress, $none)
                }
                else {
                    $statuses = $site.DistributeContent($packages, $points, $options, $progress, $none)
                }
            }
            catch {
                # What was asked names both sides: the failure may be of a package or of a point.
                $target = "$($packages -join ', ') to $destination"
                if ($DistributionPointGroupName) {
                    $target = $DistributionPointGroupName
                }
                $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $target))
                continue
            }
            finally {
                # First: once the pipeline is stopping, any command called here throws.
                $site.Dispose()
                Write-Progress -Id 1 -Activity $activity -Completed
            }
            if ($DistributionPointGroupName -and @($statuses).Count -eq 0) {
                $PSCmdlet.WriteWarning("distribution point group '$DistributionPointGroupName' has no points yet: it carries $($packages -join ', ') from now on, and the points that join it are given them")
            }
            Write-OSUpgradeDistributionResult -Status $statuses -Cmdlet $PSCmdlet
        }
    }
}
