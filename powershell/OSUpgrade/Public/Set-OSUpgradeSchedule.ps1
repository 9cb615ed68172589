function Set-OSUpgradeSchedule {
    <#
    .SYNOPSIS
        Changes servicing schedules.
    .DESCRIPTION
        Changes only what is given: the updates (each must apply to the package), the start, the
        recurrence (as New-OSUpgradeSchedule takes it), the options, or whether it is enabled. The
        next run is computed anew.
    .PARAMETER Id
        The schedule IDs. Takes values from the pipeline by the property names Id and ScheduleId.
    .PARAMETER SoftwareUpdate
        The updates the schedule applies from now on.
    .PARAMETER Start
        The first run, in the runner's local time (UTC with -Utc).
    .PARAMETER Utc
        Whether -Start and the recurrence are in UTC.
    .PARAMETER RecurInterval
        Hours or Days: recur every -RecurCount of them.
    .PARAMETER RecurCount
        How many hours or days between runs (default 1).
    .PARAMETER DayOfWeek
        Weekly on these days; with -WeekOrder, the one weekday of the month.
    .PARAMETER DayOfMonth
        Monthly on this day, 1 to 31.
    .PARAMETER WeekOrder
        Monthly on the First, Second, Third, Fourth or Last -DayOfWeek of the month.
    .PARAMETER OffsetDays
        With -WeekOrder, days after that weekday (0 to 27).
    .PARAMETER Recurrence
        A recurrence made with the [OSUpgrade.Recurrence] static methods.
    .PARAMETER ContinueOnError
        Whether a failed update lets the others go in.
    .PARAMETER UpdateDistributionPoint
        Whether a run updates the distribution points that hold the package.
    .PARAMETER RemoveSupersededUpdates
        Whether a run removes superseded components from the image.
    .PARAMETER ServiceWinRe
        Whether a run services the WinRE image inside each install.wim index too.
    .PARAMETER ServiceBootImage
        Whether a run services sources\boot.wim too.
    .PARAMETER Enabled
        Whether the runner runs the schedule.
    .PARAMETER PassThru
        Outputs the changed schedule.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would change.
    .PARAMETER Confirm
        Asks before changing.
    .EXAMPLE
        Set-OSUpgradeSchedule -Id 3 -Enabled $false

        Pauses a schedule.
    .EXAMPLE
        Get-OSUpgradeSchedule -PackageId OSU00001 | Set-OSUpgradeSchedule -DayOfMonth 31 -PassThru

        Moves every schedule of a package to the last day of each month.
    .INPUTS
        System.Int64. Schedule IDs, by property name.
    .OUTPUTS
        OSUpgrade.Schedule, with -PassThru.
    .LINK
        New-OSUpgradeSchedule
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Keep')]
    [OutputType([OSUpgrade.Schedule])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ScheduleId')]
        [long[]] $Id,

        [Parameter()]
        [string[]] $SoftwareUpdate,

        [Parameter()]
        [datetime] $Start,

        [Parameter()]
        [bool] $Utc,

        [Parameter(Mandatory, ParameterSetName = 'Interval')]
        [ValidateSet('Hours', 'Days')]
        [string] $RecurInterval,

        [Parameter(ParameterSetName = 'Interval')]
        [ValidateRange(1, 8760)]
        [int] $RecurCount,

        [Parameter(Mandatory, ParameterSetName = 'Weekly')]
        [Parameter(Mandatory, ParameterSetName = 'MonthlyByWeek')]
        [System.DayOfWeek[]] $DayOfWeek,

        [Parameter(Mandatory, ParameterSetName = 'MonthlyByDay')]
        [ValidateRange(1, 31)]
        [int] $DayOfMonth,

        [Parameter(Mandatory, ParameterSetName = 'MonthlyByWeek')]
        [ValidateSet('First', 'Second', 'Third', 'Fourth', 'Last')]
        [string] $WeekOrder,

        [Parameter(ParameterSetName = 'MonthlyByWeek')]
        [ValidateRange(0, 27)]
        [int] $OffsetDays,

        [Parameter(Mandatory, ParameterSetName = 'Recurrence')]
        [OSUpgrade.Recurrence] $Recurrence,

        [Parameter()]
        [bool] $ContinueOnError,

        [Parameter()]
        [bool] $UpdateDistributionPoint,

        [Parameter()]
        [bool] $RemoveSupersededUpdates,

        [Parameter()]
        [bool] $ServiceWinRe,

        [Parameter()]
        [bool] $ServiceBootImage,

        [Parameter()]
        [bool] $Enabled,

        [Parameter()]
        [switch] $PassThru,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
    }

    process {
        $settings = New-OSUpgradeScheduleSettings -Bound (@{} + $PSBoundParameters) -Cmdlet $PSCmdlet
        if ($PSBoundParameters.ContainsKey('SoftwareUpdate')) {
            $settings.UpdateIds = $SoftwareUpdate
        }
        $targets = @($Id | Where-Object { $PSCmdlet.ShouldProcess("schedule $_", 'Change schedule') })
        if ($targets) {
            $passThru = [bool] $PassThru
            Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $targets -Call {
                param($site, $schedule)
                $changed = $site.SetSchedule($schedule, $settings)
                if ($passThru) {
                    $changed
                }
            }.GetNewClosure()
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
