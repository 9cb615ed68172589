function New-OSUpgradeSchedule {
    <#
    .SYNOPSIS
        Schedules software updates into an upgrade package's image.
    .DESCRIPTION
        Does what Configuration Manager's New-CMOperatingSystemUpgradeUpdateSchedule does: applies
        the chosen updates to every index of the package's install.wim on a schedule, then (by
        default) updates the distribution points that hold the package. Every update must apply to
        the package (Get-OSUpgradeApplicableUpdate); one that does not is refused with the reason.

        The schedule runs once at -Start (default: now, meaning the next runner call), or recurs:
        every N hours or days (-RecurInterval, -RecurCount), weekly (-DayOfWeek), monthly on a day
        (-DayOfMonth; a shorter month runs on its last day) or monthly on the Nth weekday
        (-WeekOrder, -DayOfWeek, -OffsetDays: "second Tuesday + 7 days" follows Patch Tuesday by a
        week). Times are the runner's local time unless -Utc. The runner
        (Invoke-OSUpgradeSchedule -Due, see Register-OSUpgradeServicingRunner) runs it when due.

        With -ServiceWinRe and -ServiceBootImage a run services the whole medium, in the order
        Microsoft documents for updating installation media: per install.wim index, first the
        WinRE image inside it (servicing stack, Safe OS dynamic update), then the index (servicing
        stack, cumulative, others); then each boot.wim index (servicing stack, cumulative).

        Applicable updates piped in are gathered per package, one schedule each; a Safe OS update
        among them is left out, with a warning, unless -ServiceWinRe is given.
    .PARAMETER PackageId
        The package. Takes values from the pipeline by the property name PackageId.
    .PARAMETER SoftwareUpdate
        The update IDs (KB5034441-x64). Takes values from the pipeline by the property names Id and UpdateId.
    .PARAMETER Start
        The first run, in the runner's local time (UTC with -Utc). Default: now.
    .PARAMETER Utc
        -Start and the recurrence are in UTC.
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
        Whether a failed update lets the others go in (default $true); with $false the first failure
        leaves the package as it was.
    .PARAMETER UpdateDistributionPoint
        Whether a run updates the distribution points that hold the package (default $true).
    .PARAMETER RemoveSupersededUpdates
        Whether a run removes superseded components from the image (default $false).
    .PARAMETER ServiceWinRe
        Service the WinRE image inside each install.wim index too, before the index, with the
        servicing stack and Safe OS dynamic updates (which need it).
    .PARAMETER ServiceBootImage
        Service sources\boot.wim too, with the servicing stack and cumulative updates.
    .PARAMETER Disabled
        Creates the schedule disabled.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be scheduled.
    .PARAMETER Confirm
        Asks before scheduling.
    .EXAMPLE
        New-OSUpgradeSchedule -PackageId OSU00001 -SoftwareUpdate KB5034441-x64 -Start '2026-12-08 22:00'

        Applies one update once, on an evening.
    .EXAMPLE
        Get-OSUpgradeApplicableUpdate OSU00001 | New-OSUpgradeSchedule -WeekOrder Second -DayOfWeek Tuesday -OffsetDays 7 -Start '2026-12-01 22:00'

        Applies every applicable update a week after each Patch Tuesday at 22:00.
    .EXAMPLE
        New-OSUpgradeSchedule -PackageId OSU00001 -SoftwareUpdate KB5034000-x64, KB5034232-x64, KB5034441-x64 -ServiceWinRe -ServiceBootImage

        Services the whole medium: WinRE, install.wim and boot.wim, at the next runner call.
    .INPUTS
        OSUpgrade.ApplicableUpdate, or update IDs and package IDs by property name.
    .OUTPUTS
        OSUpgrade.Schedule
    .LINK
        Get-OSUpgradeApplicableUpdate
    .LINK
        Invoke-OSUpgradeSchedule
    .LINK
        Register-OSUpgradeServicingRunner
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'Once')]
    [OutputType([OSUpgrade.Schedule])]
    param(
        [Parameter(Mandatory, ValueFromPipelineByPropertyName)]
        [string] $PackageId,

        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id', 'UpdateId')]
        [string[]] $SoftwareUpdate,

        [Parameter()]
        [datetime] $Start,

        [Parameter()]
        [switch] $Utc,

        [Parameter(Mandatory, ParameterSetName = 'Interval')]
        [ValidateSet('Hours', 'Days')]
        [string] $RecurInterval,

        [Parameter(ParameterSetName = 'Interval')]
        [ValidateRange(1, 8760)]
        [int] $RecurCount = 1,

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
        [int] $OffsetDays = 0,

        [Parameter(Mandatory, ParameterSetName = 'Recurrence')]
        [OSUpgrade.Recurrence] $Recurrence,

        [Parameter()]
        [bool] $ContinueOnError = $true,

        [Parameter()]
        [bool] $UpdateDistributionPoint = $true,

        [Parameter()]
        [bool] $RemoveSupersededUpdates = $false,

        [Parameter()]
        [switch] $ServiceWinRe,

        [Parameter()]
        [switch] $ServiceBootImage,

        [Parameter()]
        [switch] $Disabled,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $selections = [ordered]@{}
    }

    process {
        $key = "$SitePath|$PackageId"
        if (-not $selections.Contains($key)) {
            $selections[$key] = @{ SitePath = $SitePath; PackageId = $PackageId; Updates = New-Object -TypeName 'System.Collections.Generic.List[string]' }
        }
        foreach ($update in $SoftwareUpdate) {
            $selections[$key].Updates.Add($update)
        }
        # Safe OS updates listed as applicable go into WinRE only: piped in without
        # -ServiceWinRe they are left out, with a warning, rather than refusing the schedule.
        $piped = $_
        if ($PSCmdlet.MyInvocation.ExpectingInput -and -not $ServiceWinRe -and
            $piped -is [OSUpgrade.SoftwareUpdate] -and $piped.Classification -eq [OSUpgrade.UpdateClassification]::SafeOs) {
            $PSCmdlet.WriteWarning("$($piped.Id) is a Safe OS dynamic update, for WinRE: left out of the schedule of $PackageId; add -ServiceWinRe to include it.")
            $null = $selections[$key].Updates.Remove($piped.Id)
        }
    }

    end {
        $bound = @{} + $PSBoundParameters
        foreach ($name in 'ContinueOnError', 'UpdateDistributionPoint', 'RemoveSupersededUpdates', 'RecurCount', 'OffsetDays') {
            if (-not $bound.ContainsKey($name)) {
                $bound[$name] = Get-Variable -Name $name -ValueOnly
            }
        }
        $settings = New-OSUpgradeScheduleSettings -Bound $bound -Cmdlet $PSCmdlet
        foreach ($selection in $selections.Values) {
            $settings.UpdateIds = $selection.Updates.ToArray()
            $what = '{0} into {1}' -f ($selection.Updates -join ', '), $selection.PackageId
            if (-not $PSCmdlet.ShouldProcess($what, 'Schedule updates')) {
                continue
            }
            $site = Open-OSUpgradeSite -SitePath $selection.SitePath -Cmdlet $PSCmdlet
            try {
                $site.CreateSchedule($selection.PackageId, $settings)
            }
            catch {
                $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $selection.PackageId))
            }
            finally {
                $site.Dispose()
            }
        }
    }
}
