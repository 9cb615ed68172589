function Invoke-OSUpgradeSchedule {
    <#
    .SYNOPSIS
        Runs servicing schedules: now, or every one that is due.
    .DESCRIPTION
        With -Id, runs those schedules now, whether they are due or not. With -Due, runs every
        enabled schedule whose time has come, as the OS scheduler does every few minutes
        (Register-OSUpgradeServicingRunner sets that up). A run takes the package's image out of the
        content library, applies each update to each image index through the site's servicing
        engine (Set-OSUpgradeSite -ServicingEngine), records the serviced image as the package's
        next content version with every applied update, and updates the distribution points that
        hold the package where the schedule says so. A run that fails is recorded and reported as
        a non-terminating error (its record still goes out); one where continue-on-error let some
        updates fail writes a warning, and so does one whose points could not all be updated
        (-Due tries them again at each call). Two runners never service one package at once; a
        run whose runner died is closed as interrupted and its schedule runs at the next -Due.
    .PARAMETER Id
        Schedule IDs. Takes values from the pipeline by the property names Id and ScheduleId.
    .PARAMETER Due
        Runs every schedule that is due.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would run.
    .PARAMETER Confirm
        Asks before running.
    .EXAMPLE
        Invoke-OSUpgradeSchedule -Id 1

        Services a package now with its schedule's updates.
    .EXAMPLE
        Invoke-OSUpgradeSchedule -Due -SitePath D:\Sites\Lab

        What the scheduled runner calls.
    .INPUTS
        System.Int64. Schedule IDs, by property name.
    .OUTPUTS
        OSUpgrade.ServicingRun
    .LINK
        Get-OSUpgradeServicingRun
    .LINK
        Register-OSUpgradeServicingRunner
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ById')]
    [OutputType([OSUpgrade.ServicingRun])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ById', ValueFromPipelineByPropertyName)]
        [Alias('ScheduleId')]
        [long[]] $Id,

        [Parameter(Mandatory, ParameterSetName = 'Due')]
        [switch] $Due,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
        $activity = 'Servicing'
        $progress = New-OSUpgradeProgress -Activity $activity
        $none = [System.Threading.CancellationToken]::None
    }

    process {
        $targets = @($(if ($Due) { 'every due schedule' } else { $Id }) | Where-Object {
                $PSCmdlet.ShouldProcess($(if ($Due) { $_ } else { "schedule $_" }), 'Run servicing')
            })
        if ($targets.Count -eq 0) {
            return
        }
        # One call per target, its runs out before the next target runs: an error written inside
        # a call, which -ErrorAction Stop turns into an exception, would be caught there as the
        # call's own, and a failed run stops the rest under Stop.
        foreach ($target in $targets) {
            $runs = Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $target -Call {
                param($site, $target)
                try {
                    if ($Due) { $site.RunDueSchedules($progress, $none) } else { $site.RunSchedule($target, $progress, $none) }
                }
                finally {
                    Write-Progress -Id 1 -Activity $activity -Completed
                }
            }
            foreach ($run in $runs) {
                $run
                Write-OSUpgradeServicingRunOutcome -Run $run -Cmdlet $PSCmdlet -Cache $sites
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
