function New-OSUpgradeScheduleSettings {
    <#
    .SYNOPSIS
        Turns the parameters New-OSUpgradeSchedule and Set-OSUpgradeSchedule were given into the
        library's schedule settings.
    .DESCRIPTION
        Only the parameters the caller bound are set, so that Set-OSUpgradeSchedule changes just
        those. The recurrence comes from the parameter set: -RecurInterval/-RecurCount (every N
        hours or days), -DayOfWeek (weekly), -DayOfMonth (monthly on a day), -WeekOrder with one
        -DayOfWeek and -OffsetDays (monthly on the Nth weekday), or a -Recurrence object.
    .PARAMETER Bound
        The caller's $PSBoundParameters.
    .PARAMETER Cmdlet
        The caller's $PSCmdlet, which reports a malformed combination.
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.ScheduleSettings])]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Bound,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $settings = New-Object -TypeName OSUpgrade.ScheduleSettings
    $flags = @{
        Utc                     = 'Utc'
        ContinueOnError         = 'ContinueOnError'
        UpdateDistributionPoint = 'UpdateDistributionPoints'
        RemoveSupersededUpdates = 'RemoveSuperseded'
        ServiceWinRe            = 'ServiceWinRe'
        ServiceBootImage        = 'ServiceBootImage'
        Enabled                 = 'Enabled'
    }
    foreach ($name in $flags.Keys) {
        if ($Bound.ContainsKey($name)) {
            $settings.($flags[$name]) = [bool] $Bound[$name]
        }
    }
    if ($Bound.ContainsKey('Disabled')) {
        $settings.Enabled = -not [bool] $Bound['Disabled']
    }
    if ($Bound.ContainsKey('Start')) {
        $settings.Start = $Bound['Start']
    }
    $weekOrders = @{ First = 1; Second = 2; Third = 3; Fourth = 4; Last = 5 }
    if ($Bound.ContainsKey('Recurrence')) {
        $settings.Recurrence = $Bound['Recurrence']
    }
    elseif ($Bound.ContainsKey('RecurInterval')) {
        $count = 1
        if ($Bound.ContainsKey('RecurCount')) {
            $count = $Bound['RecurCount']
        }
        $settings.Recurrence = switch ($Bound['RecurInterval']) {
            'Hours' { [OSUpgrade.Recurrence]::EveryHours($count) }
            'Days' { [OSUpgrade.Recurrence]::EveryDays($count) }
        }
    }
    elseif ($Bound.ContainsKey('WeekOrder')) {
        $days = @($Bound['DayOfWeek'])
        if ($days.Count -ne 1) {
            $Cmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Exception ([System.ArgumentException]::new('DayOfWeek: -WeekOrder takes exactly one day')) -TargetObject $days))
        }
        $offset = 0
        if ($Bound.ContainsKey('OffsetDays')) {
            $offset = $Bound['OffsetDays']
        }
        $settings.Recurrence = [OSUpgrade.Recurrence]::MonthlyOnWeekday($weekOrders[[string] $Bound['WeekOrder']], $days[0], $offset)
    }
    elseif ($Bound.ContainsKey('DayOfWeek')) {
        $settings.Recurrence = [OSUpgrade.Recurrence]::Weekly([DayOfWeek[]] @($Bound['DayOfWeek']))
    }
    elseif ($Bound.ContainsKey('DayOfMonth')) {
        $settings.Recurrence = [OSUpgrade.Recurrence]::MonthlyOnDay($Bound['DayOfMonth'])
    }
    $settings
}
