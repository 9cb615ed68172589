function Add-OSUpgradeDistributionPointToGroup {
    <#
    .SYNOPSIS
        Adds distribution points to a distribution point group.
    .DESCRIPTION
        Does what Configuration Manager's Add-CMDistributionPointToGroup does: the points become
        members of the group and are given the packages the group carries, as
        Start-OSUpgradeContentDistribution would send them (only what a point lacks is copied, every
        byte verified). Outputs the status of each of those distributions; a failed one is also a
        non-terminating error. A point that is a member already stays one.
    .PARAMETER DistributionPointGroupName
        The group.
    .PARAMETER DistributionPointName
        The points. Takes values from the pipeline by the property name Name, as
        Get-OSUpgradeDistributionPoint outputs them.
    .PARAMETER ThrottleLimit
        How many distributions (package x point) run at once (alias -Workers). Default 4.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be added without adding it.
    .PARAMETER Confirm
        Asks before adding the points.
    .EXAMPLE
        Add-OSUpgradeDistributionPointToGroup -DistributionPointGroupName Branches -DistributionPointName DP1, DP2

        Adds two points; they are given every package the group carries.
    .EXAMPLE
        Get-OSUpgradeDistributionPoint 'Branch*' | Add-OSUpgradeDistributionPointToGroup -DistributionPointGroupName Branches

        Adds every branch point.
    .INPUTS
        System.String. Point names, by the property name Name.
    .OUTPUTS
        OSUpgrade.DistributionStatus
    .LINK
        Remove-OSUpgradeDistributionPointFromGroup
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.DistributionStatus])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [Alias('GroupName')]
        [string] $DistributionPointGroupName,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [Alias('Name')]
        [string[]] $DistributionPointName,

        [Parameter()]
        [ValidateRange(1, 64)]
        [Alias('Workers')]
        [int] $ThrottleLimit = 4,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Points piped in carry their own site (SitePath): each site gets one call for its points.
        $pointsBySite = [ordered]@{}
    }

    process {
        $key = "$SitePath"
        if (-not $pointsBySite.Contains($key)) {
            $pointsBySite[$key] = New-Object -TypeName 'System.Collections.Generic.List[string]'
        }
        foreach ($point in $DistributionPointName) {
            if (-not $pointsBySite[$key].Contains($point)) {
                $pointsBySite[$key].Add($point)
            }
        }
    }

    end {
        $activity = 'Giving the group''s packages to its new points'
        $progress = New-OSUpgradeProgress -Activity $activity
        $options = New-Object -TypeName OSUpgrade.DistributeOptions -Property @{ Workers = $ThrottleLimit }
        foreach ($entry in $pointsBySite.GetEnumerator()) {
            $points = [string[]] $entry.Value
            if (-not $PSCmdlet.ShouldProcess("$($points -join ', ')", "Add to distribution point group '$DistributionPointGroupName'")) {
                continue
            }
            $site = Open-OSUpgradeSite -SitePath $entry.Key -Cmdlet $PSCmdlet
            try {
                $statuses = $site.AddDistributionPointsToGroup($DistributionPointGroupName, $points, $options, $progress, [System.Threading.CancellationToken]::None)
            }
            catch {
                $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $DistributionPointGroupName))
                continue
            }
            finally {
                # First: once the pipeline is stopping, any command called here throws.
                $site.Dispose()
                Write-Progress -Id 1 -Activity $activity -Completed
            }
            Write-OSUpgradeDistributionResult -Status $statuses -Cmdlet $PSCmdlet
        }
    }
}
