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
        $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet -Cache $sites
        $calls = if ($Due) {
            @{ Target = 'every due schedule'; Run = { $site.RunDueSchedules($progress, $none) }.GetNewClosure() }
        }
        else {
            $Id | ForEach-Object { $scheduleId = $_; @{ Target = "schedule $scheduleId"; Run = { $site.RunSchedule($scheduleId, $progress, $none) }.GetNewClosure() } }
        }
        foreach ($call in $calls) {
            if (-not $PSCmdlet.ShouldProcess($call.Target, 'Run servicing')) {
                continue
            }
            try {
                foreach ($run in & $call.Run) {
                    $run
                    if ($run.State -eq [OSUpgrade.ServicingRunState]::Failed) {
                        $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Exception $run.GetErrorException() -TargetObject $run))
                    }
                    elseif ($run.State -eq [OSUpgrade.ServicingRunState]::PartiallySucceeded) {
                        $PSCmdlet.WriteWarning("Run $($run.Id) of package $($run.PackageId): $($run.Error)")
                    }
                    if ($run.PointsPending) {
                        $PSCmdlet.WriteWarning("Run $($run.Id) of package $($run.PackageId): the distribution points have yet to get content version $($run.ContentVersionTo) (the runner tries again at each call): $($run.PointsError)")
                    }
                }
            }
            catch {
                $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $call.Target))
            }
            finally {
                Write-Progress -Id 1 -Activity $activity -Completed
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
