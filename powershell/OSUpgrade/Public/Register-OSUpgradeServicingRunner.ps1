function Register-OSUpgradeServicingRunner {
    <#
    .SYNOPSIS
        Registers the servicing runner with the operating system's scheduler.
    .DESCRIPTION
        Schedules 'Invoke-OSUpgradeSchedule -Due -SitePath <site>' to run every -IntervalMinutes,
        so that servicing schedules run when they are due: a Task Scheduler task on Windows
        (\OSUpgrade\Servicing runner, as SYSTEM, which DISM needs), a systemd timer and service, or
        a cron entry elsewhere. The runner's command imports this module from where it is now and
        names the site by its full path. What it writes is output: the scheduled task, or the files.
        After writing systemd units, enable the timer: systemctl --user daemon-reload; systemctl
        --user enable --now osupgrade-servicing-runner.timer (without --user for /etc/systemd/system).
    .PARAMETER IntervalMinutes
        How often the runner looks for due schedules, 1 to 1440 minutes (default 15). With cron,
        a step that divides an hour or a day (5, 15, 30, 120, ...), as cron cannot run evenly
        otherwise.
    .PARAMETER Scheduler
        ScheduledTask (Windows), SystemdTimer or Cron. Default: ScheduledTask on Windows, SystemdTimer
        where systemctl exists, else Cron.
    .PARAMETER Destination
        Where systemd units (a folder; default ~/.config/systemd/user) or the cron entry (a file;
        default /etc/cron.d/osupgrade-servicing-runner) go.
    .PARAMETER PowerShellPath
        The PowerShell that runs the runner. Default: the one running this command.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be registered.
    .PARAMETER Confirm
        Asks before registering.
    .EXAMPLE
        Register-OSUpgradeServicingRunner -SitePath D:\Sites\Lab

        On Windows: a scheduled task that runs due schedules of the Lab site every 15 minutes.
    .EXAMPLE
        Register-OSUpgradeServicingRunner -Scheduler SystemdTimer -IntervalMinutes 5

        On Linux: writes osupgrade-servicing-runner.service and .timer for the default site.
    .INPUTS
        None.
    .OUTPUTS
        System.IO.FileInfo (systemd, cron), or the registered scheduled task.
    .LINK
        Invoke-OSUpgradeSchedule
    #>
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter()]
        [ValidateRange(1, 1440)]
        [int] $IntervalMinutes = 15,

        [Parameter()]
        [ValidateSet('ScheduledTask', 'SystemdTimer', 'Cron')]
        [string] $Scheduler,

        [Parameter()]
        [string] $Destination,

        [Parameter()]
        [string] $PowerShellPath,

        [Parameter()]
        [string] $SitePath
    )

    Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet

    # cron has no "every N minutes from now": only steps that divide an hour or a day run evenly.
    $cronMinutes = 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60, 120, 180, 240, 360, 480, 720, 1440
    if ($Scheduler -eq 'Cron' -and $IntervalMinutes -notin $cronMinutes) {
        $message = "IntervalMinutes: cron runs evenly only every $($cronMinutes -join ', ') minutes, not every $IntervalMinutes"
        $PSCmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Exception ([System.ArgumentException]::new($message)) -TargetObject $IntervalMinutes))
    }
    $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
    try {
        $database = $site.GetInfo().DatabasePath
    }
    finally {
        $site.Dispose()
    }
    if (-not $Scheduler) {
        $onWindows = [System.Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::Windows)
        $Scheduler = if ($onWindows) { 'ScheduledTask' } elseif (Get-Command -Name systemctl -ErrorAction SilentlyContinue) { 'SystemdTimer' } else { 'Cron' }
    }
    $manifest = Join-Path -Path $PSScriptRoot -ChildPath '..\OSUpgrade.psd1'
    $manifest = [System.IO.Path]::GetFullPath($manifest)
    foreach ($path in $manifest, $database) {
        if ($path.IndexOfAny([char[]] '"$`%') -ge 0) {
            $message = "SitePath: '$path' holds a character ("", $, `, %) a scheduler's command line cannot carry"
            $PSCmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Exception ([System.ArgumentException]::new($message)) -TargetObject $path))
        }
    }
    $quote = { param($text) "'" + ($text -replace "'", "''") + "'" }
    $script = 'Import-Module {0}; Invoke-OSUpgradeSchedule -Due -SitePath {1}' -f (& $quote $manifest), (& $quote $database)
    $shell = @(Get-OSUpgradePowerShellCommand -PowerShellPath $PowerShellPath)
    $arguments = @('-NoProfile', '-NonInteractive', '-Command', $script)
    $what = "every $IntervalMinutes minute(s): $script"
    if (-not $PSCmdlet.ShouldProcess($what, "Register the servicing runner ($Scheduler)")) {
        return
    }
    switch ($Scheduler) {
        'ScheduledTask' {
            $argumentText = (@($shell | Select-Object -Skip 1) + $arguments[0..2] + ('"' + $script + '"')) -join ' '
            $action = New-ScheduledTaskAction -Execute $shell[0] -Argument $argumentText
            $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes $IntervalMinutes)
            $principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest
            Register-ScheduledTask -TaskName 'Servicing runner' -TaskPath '\OSUpgrade\' -Action $action -Trigger $trigger -Principal $principal -Force
        }
        'SystemdTimer' {
            if (-not $Destination) {
                $Destination = Join-Path -Path $HOME -ChildPath '.config/systemd/user'
            }
            $folder = Resolve-OSUpgradeFileSystemPath -Path $Destination -ParameterName Destination -Cmdlet $PSCmdlet
            $null = New-Item -ItemType Directory -Path $folder -Force
            $command = (@($shell) + $arguments[0..2] + ('"' + $script + '"')) -join ' '
            $service = @(
                '[Unit]', 'Description=OSUpgrade servicing runner: runs the due servicing schedules of a site', '',
                '[Service]', 'Type=oneshot', "ExecStart=$command"
            ) -join "`n"
            $timer = @(
                '[Unit]', "Description=Run the OSUpgrade servicing runner every $IntervalMinutes minute(s)", '',
                '[Timer]', 'OnBootSec=2min', "OnUnitActiveSec=${IntervalMinutes}min", 'Unit=osupgrade-servicing-runner.service', '',
                '[Install]', 'WantedBy=timers.target'
            ) -join "`n"
            foreach ($unit in @{ Name = 'osupgrade-servicing-runner.service'; Text = $service }, @{ Name = 'osupgrade-servicing-runner.timer'; Text = $timer }) {
                $path = Join-Path -Path $folder -ChildPath $unit.Name
                [System.IO.File]::WriteAllText($path, $unit.Text + "`n")
                Get-Item -LiteralPath $path
            }
        }
        'Cron' {
            if (-not $Destination) {
                $Destination = '/etc/cron.d/osupgrade-servicing-runner'
            }
            $path = Resolve-OSUpgradeFileSystemPath -Path $Destination -ParameterName Destination -Cmdlet $PSCmdlet
            $command = (@($shell) + $arguments[0..2] + ('"' + $script + '"')) -join ' '
            $user = [System.Environment]::UserName
            $minutes = switch ($IntervalMinutes) {
                { $_ -lt 60 } { "*/$IntervalMinutes * * * *"; break }
                1440 { '0 0 * * *'; break }
                default { "0 */$($IntervalMinutes / 60) * * *" }
            }
            $entry = @('# OSUpgrade servicing runner: runs the due servicing schedules of a site', "$minutes $user $command") -join "`n"
            [System.IO.File]::WriteAllText($path, $entry + "`n")
            Get-Item -LiteralPath $path
        }
    }
}
