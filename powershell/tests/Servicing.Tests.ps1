BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)
}

# Its update files and test engine are bash scripts, and runners are systemd and cron: not
# under wine (Invoke-Tests.ps1 -ExcludeTag Posix).
Describe 'Software updates and servicing schedules' -Tag Posix {
    BeforeAll {
        $makeUpdate = Join-Path -Path $repository -ChildPath 'tests/fixtures/make-update.sh'
        $testEngine = Join-Path -Path $repository -ChildPath 'tests/fixtures/test-engine.sh'
        $updates = Join-Path -Path $TestDrive -ChildPath 'updates'
        $null = New-Item -ItemType Directory -Path $updates -Force
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034441-x64_22bb.msu') KB5034441 19041.3930
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034000-x64_11aa.cab') KB5034000 19041.3920 --servicing-stack
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5035001-x64_77aa.msu') KB5035001 19041.4046 --broken
        $catalog = Join-Path -Path $TestDrive -ChildPath 'catalog.json'
        Set-Content -LiteralPath $catalog -Value @'
{ "updates": [
  { "fileName": "windows10.0-kb5034000-x64_11aa.cab", "classification": "ServicingStack", "builds": [19045], "releaseDate": "2024-01-09" },
  { "fileName": "windows10.0-kb5034441-x64_22bb.msu", "classification": "Cumulative", "builds": [19045], "releaseDate": "2024-01-09",
    "title": "2024-01 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems", "supersedes": ["KB5026361"] },
  { "fileName": "windows10.0-kb5035001-x64_77aa.msu", "classification": "Other", "builds": [19045], "releaseDate": "2024-02-13" }
] }
'@
    }

    BeforeEach {
        $sitePath = Join-Path -Path $TestDrive -ChildPath ('site-' + [guid]::NewGuid().ToString('N'))
        New-OSUpgradeSite -Path $sitePath | Out-Null
        $package = Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -SitePath $sitePath
        $pointsPath = Join-Path -Path $TestDrive -ChildPath ('points-' + [guid]::NewGuid().ToString('N'))
        Add-OSUpgradeDistributionPoint -Name DP1 -Path (Join-Path -Path $pointsPath -ChildPath DP1) -SitePath $sitePath | Out-Null
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath | Out-Null
    }

    It 'imports updates from the pipeline with a catalog file, and gets them with wildcards' {
        $imported = Get-ChildItem -LiteralPath $updates | Import-OSUpgradeUpdate -CatalogPath $catalog -SitePath $sitePath
        $imported.Id | Sort-Object | Should -Be @('KB5034000-x64', 'KB5034441-x64', 'KB5035001-x64')
        (Get-OSUpgradeUpdate -Id 'kb5034441*' -SitePath $sitePath).Classification | Should -Be 'Cumulative'
        (Get-OSUpgradeUpdate -SitePath $sitePath).Count | Should -Be 3
        $table = Get-OSUpgradeUpdate -SitePath $sitePath | Format-Table | Out-String -Width 200
        $table | Should -Match 'Classification'
        $table | Should -Match 'ServicingStack'
    }

    It 'lists an empty catalog quietly, takes wildcard paths and imports a file named twice once' {
        Get-OSUpgradeUpdate -SitePath $sitePath -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures | Should -BeNullOrEmpty
        $imported = Import-OSUpgradeUpdate -Path (Join-Path $updates '*.msu'), (Join-Path $updates 'windows10.0-kb5034441-x64_22bb.msu') -SitePath $sitePath
        $imported.Id | Sort-Object | Should -Be @('KB5034441-x64', 'KB5035001-x64')
    }

    It 'reads each update file''s manifest: refuses one named for another KB, and one with no manifest' {
        $lying = Join-Path -Path $TestDrive -ChildPath 'lying'
        $null = New-Item -ItemType Directory -Path $lying -Force
        & bash $makeUpdate (Join-Path $lying 'windows10.0-kb5099004-x64_1.msu') KB5034123 19041.3930
        $failure = { Import-OSUpgradeUpdate -Path $lying -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike '*says KB5099004, but its package manifest says KB5034123*'
        $empty = Join-Path -Path $TestDrive -ChildPath 'empty'
        $null = New-Item -ItemType Directory -Path $empty -Force
        Set-Content -LiteralPath (Join-Path $empty 'payload.dll') -Value 'MZ'
        & gcab -c -z (Join-Path $empty 'windows10.0-kb5099001-x64_1.cab') (Join-Path $empty 'payload.dll')
        { Import-OSUpgradeUpdate -Path (Join-Path $empty 'windows10.0-kb5099001-x64_1.cab') -SitePath $sitePath -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*it holds no package manifest (.mum)*'
        Get-OSUpgradeUpdate -SitePath $sitePath | Should -BeNullOrEmpty
    }

    It 'imports nothing with -WhatIf, and refuses a file that is no update with InvalidArgument' {
        Import-OSUpgradeUpdate -Path $updates -SitePath $sitePath -WhatIf
        Get-OSUpgradeUpdate -SitePath $sitePath | Should -BeNullOrEmpty
        $junk = Join-Path -Path $TestDrive -ChildPath 'windows10.0-kb5099999-x64_1.msu'
        Set-Content -LiteralPath $junk -Value 'not a cabinet'
        $failure = { Import-OSUpgradeUpdate -Path $updates, $junk -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike '*kb5099999*'
        Get-OSUpgradeUpdate -SitePath $sitePath | Should -BeNullOrEmpty
    }

    It 'lists the updates in the image and those that apply, in installation order' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        $applied = Get-OSUpgradePackage -SitePath $sitePath | Get-OSUpgradeAppliedUpdate
        ($applied | Where-Object { $_.ImageIndex -eq 1 -and $_.Image -eq 'install' }).Kb | Should -Be @('KB5026361', 'KB5031539')
        ($applied | Where-Object { $_.ImageIndex -eq 1 -and $_.Image -eq 'winre' }).Kb | Should -Be @('KB5021043', 'KB5031539')
        $applicable = Get-OSUpgradeApplicableUpdate -PackageId $package.Id -SitePath $sitePath
        $applicable.Id | Should -Be @('KB5034000-x64', 'KB5034441-x64', 'KB5035001-x64')
        # One for Windows 11 is not offered; asked, it says why.
        $other = Join-Path -Path $TestDrive -ChildPath 'windows11-updates'
        $null = New-Item -ItemType Directory -Path $other -Force
        & bash $makeUpdate (Join-Path $other 'windows11.0-kb5036893-x64_66ff.msu') KB5036893 22631.3447
        Import-OSUpgradeUpdate -Path $other -SitePath $sitePath | Out-Null
        (Get-OSUpgradeApplicableUpdate -PackageId $package.Id -SitePath $sitePath).Id | Should -Be $applicable.Id
        $leftOut = Get-OSUpgradeApplicableUpdate -PackageId $package.Id -NotApplicable -SitePath $sitePath
        $leftOut.Id | Should -Be 'KB5036893-x64'
        $leftOut.Reason | Should -BeLike '*the update is for Windows 11*'
        ($leftOut | Format-Table | Out-String -Width 120) | Should -Match 'the update is for Windows 11'
    }

    It 'schedules applicable updates from the pipeline a week after Patch Tuesday, and changes and removes schedules' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        $schedule = Get-OSUpgradeApplicableUpdate -PackageId $package.Id -SitePath $sitePath |
            Where-Object Id -ne 'KB5035001-x64' |
            New-OSUpgradeSchedule -WeekOrder Second -DayOfWeek Tuesday -OffsetDays 7 -Start '2030-01-01 22:00' -Utc
        $schedule.UpdateIds | Should -Be @('KB5034000-x64', 'KB5034441-x64')
        $schedule.NextRunAt.UtcDateTime | Should -Be ([datetime]::new(2030, 1, 15, 22, 0, 0, [DateTimeKind]::Utc))
        $schedule.ContinueOnError | Should -BeTrue
        $runs = $schedule | Get-OSUpgradeScheduleNextRun -Count 3
        $runs.RunAt.UtcDateTime | Should -Be @(
            [datetime]::new(2030, 1, 15, 22, 0, 0, [DateTimeKind]::Utc)
            [datetime]::new(2030, 2, 19, 22, 0, 0, [DateTimeKind]::Utc)
            [datetime]::new(2030, 3, 19, 22, 0, 0, [DateTimeKind]::Utc))
        ($runs | Format-Table | Out-String) | Should -Match '2030-02-19 22:00'
        (Get-OSUpgradeScheduleNextRun -Id $schedule.Id -SitePath $sitePath).Count | Should -Be 12
        $changed = $schedule | Set-OSUpgradeSchedule -DayOfMonth 31 -Enabled $false -PassThru
        $changed.Recurrence.Kind | Should -Be 'MonthlyOnDay'
        $changed.NextRunAt.UtcDateTime | Should -Be ([datetime]::new(2030, 1, 31, 22, 0, 0, [DateTimeKind]::Utc))
        $changed.Enabled | Should -BeFalse
        (Get-OSUpgradeSchedule -PackageId $package.Id -SitePath $sitePath | Format-Table | Out-String -Width 200) | Should -Match 'monthly on day 31'
        $failures = @(Get-WrittenError { Remove-OSUpgradeUpdate -Id KB5034441-x64 -SitePath $sitePath -Confirm:$false })
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-OSUpgradeSchedule -PackageId $package.Id -SitePath $sitePath | Remove-OSUpgradeSchedule -Confirm:$false
        Get-OSUpgradeSchedule -SitePath $sitePath | Should -BeNullOrEmpty
    }

    It 'runs "last Tuesday + 27 days" first on the run the month before its start anchors' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        # The last Tuesday of December 2029 is the 25th: 27 days later is 21 January 2030.
        $schedule = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64 -WeekOrder Last -DayOfWeek Tuesday -OffsetDays 27 -Start '2030-01-01 22:00' -Utc -SitePath $sitePath
        $schedule.NextRunAt.UtcDateTime | Should -Be ([datetime]::new(2030, 1, 21, 22, 0, 0, [DateTimeKind]::Utc))
    }

    It 'leaves a piped Safe OS update out of a schedule without -ServiceWinRe, with a warning' {
        $safeOs = Join-Path -Path $TestDrive -ChildPath 'safe-os'
        $null = New-Item -ItemType Directory -Path $safeOs -Force
        & bash $makeUpdate (Join-Path $safeOs 'windows10.0-kb5034232-x64_88bb.cab') KB5034232 19041.3920
        $safeOsCatalog = Join-Path -Path $safeOs -ChildPath 'catalog.json'
        Set-Content -LiteralPath $safeOsCatalog -Value '{ "updates": [ { "fileName": "windows10.0-kb5034232-x64_88bb.cab", "classification": "SafeOs", "builds": [19045] } ] }'
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        Import-OSUpgradeUpdate -Path $safeOs -CatalogPath $safeOsCatalog -SitePath $sitePath | Out-Null
        $schedule = Get-OSUpgradeApplicableUpdate -PackageId $package.Id -SitePath $sitePath |
            New-OSUpgradeSchedule -WarningVariable warnings -WarningAction SilentlyContinue
        $schedule.UpdateIds | Should -Not -Contain 'KB5034232-x64'
        $warnings[0] | Should -BeLike '*KB5034232-x64 is a Safe OS dynamic update*-ServiceWinRe*'
        $withWinRe = Get-OSUpgradeApplicableUpdate -PackageId $package.Id -SitePath $sitePath | New-OSUpgradeSchedule -ServiceWinRe
        $withWinRe.UpdateIds | Should -Contain 'KB5034232-x64'
    }

    It 'refuses an update that does not apply, saying why' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        $failures = @(Get-WrittenError { New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64, KB1234567-x64 -SitePath $sitePath })
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-OSUpgradeSchedule -SitePath $sitePath | Should -BeNullOrEmpty
    }

    It 'runs a schedule with the command engine, updates the point, and keeps the history' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        $failure = { Invoke-OSUpgradeSchedule -Due -SitePath $sitePath -ErrorAction Stop; New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64 -SitePath $sitePath | Invoke-OSUpgradeSchedule -ErrorAction Stop } | Should -Throw -PassThru
        $failure.Exception.Message | Should -BeLike '*only Windows has*'
        Set-OSUpgradeSite -ServicingCommand $testEngine -SitePath $sitePath
        $engine = (Get-OSUpgradeSite -SitePath $sitePath).ServicingEngine
        ($engine.Engine, $engine.CommandPath, $engine.Available) | Should -Be @('Command', $testEngine, $true)
        Mock -CommandName Write-Progress -ModuleName OSUpgrade
        $run = Invoke-OSUpgradeSchedule -Due -SitePath $sitePath
        $run.State | Should -Be 'Succeeded'
        $run.ContentVersionTo | Should -Be 2
        Should -Invoke -CommandName Write-Progress -ModuleName OSUpgrade -ParameterFilter { $Activity -eq 'Servicing' }
        (Get-OSUpgradeDistributionStatus -PackageId $package.Id -SitePath $sitePath).InstalledContentVersion | Should -Be 2
        (Test-OSUpgradeContent -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath).Valid | Should -BeTrue
        $history = @(Get-OSUpgradeSchedule -PackageId $package.Id -SitePath $sitePath | Get-OSUpgradeServicingRun)
        $history.Count | Should -Be 1
        ($history | Format-Table | Out-String -Width 200) | Should -Match '1 -> 2'
        (Get-OSUpgradeAppliedUpdate -PackageId $package.Id -SitePath $sitePath | Where-Object Origin -eq 'serviced').UpdateId | Should -Be @('KB5034441-x64', 'KB5034441-x64')
    }

    It 'reports a failed run as an error, a partly failed one as a warning, and runs nothing with -WhatIf' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        Set-OSUpgradeSite -ServicingEngine Command -ServicingCommand $testEngine -SitePath $sitePath
        $abort = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64, KB5035001-x64 -ContinueOnError $false -Start '2030-01-01 00:00' -SitePath $sitePath
        Invoke-OSUpgradeSchedule -Id $abort.Id -SitePath $sitePath -WhatIf
        Get-OSUpgradeServicingRun -PackageId $package.Id -SitePath $sitePath | Should -BeNullOrEmpty
        $output = Invoke-Capturing { Invoke-OSUpgradeSchedule -Id $abort.Id -SitePath $sitePath }
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'OSUpgradeServicingFailed*'
        $aborted = $output | Where-Object { $_ -is [OSUpgrade.ServicingRun] }
        $aborted.State | Should -Be 'Failed'
        # What the engine added before the failure is thrown away with the run, and says so.
        ($aborted.Results | Where-Object ImageIndex -EQ 1 | ForEach-Object { '{0} {1}' -f $_.UpdateId, $_.State }) |
            Should -Be 'KB5034441-x64 Discarded', 'KB5035001-x64 Failed'
        (Get-OSUpgradePackage -Id $package.Id -SitePath $sitePath).ContentVersion | Should -Be 1
        $partial = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64, KB5035001-x64 -Start '2030-01-01 00:00' -SitePath $sitePath
        $run = Invoke-OSUpgradeSchedule -Id $partial.Id -SitePath $sitePath -WarningVariable warnings -WarningAction SilentlyContinue
        $run.State | Should -Be 'PartiallySucceeded'
        $warnings[0] | Should -BeLike '*1 of 2 updates failed (KB5035001-x64)*'
        ($run.Results | Where-Object State -eq 'Failed').ExitCode | Should -Be @(87, 87)
        # The engine's own words, not only in the run's log.
        ($run.Results | Where-Object State -eq 'Failed').Message | Should -BeLike '*KB5035001 is damaged*'
    }

    It 'ends a step that runs past -ServicingMaxRunTime, with what it started, and fails its updates as timed out' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        $pids = Join-Path -Path $TestDrive -ChildPath 'hung-pids'
        $hung = Join-Path -Path $TestDrive -ChildPath 'hung-engine.sh'
        Set-Content -LiteralPath $hung -Value "#!/bin/sh`nif [ `"`$1`" = add-package ]; then sleep 600 & echo `$! >> '$pids'; wait; fi`nexec bash '$testEngine' `"`$@`""
        & chmod +x $hung
        Set-OSUpgradeSite -ServicingCommand $hung -ServicingMaxRunTime '00:00:02' -SitePath $sitePath
        (Get-OSUpgradeSite -SitePath $sitePath).ServicingEngine.MaxRunTime | Should -Be ([timespan]::FromSeconds(2))
        { Set-OSUpgradeSite -ServicingMaxRunTime 0 -SitePath $sitePath -ErrorAction Stop } | Should -Throw -ExpectedMessage 'maxRunTime: *'
        $schedule = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64 -Start '2030-01-01 00:00' -SitePath $sitePath
        $run = Invoke-OSUpgradeSchedule -Id $schedule.Id -SitePath $sitePath -ErrorAction SilentlyContinue
        $run.State | Should -Be 'Failed'
        $run.Results.Message | Should -BeLike '*timed out: still running after the site''s maximum run time of 2 seconds*'
        foreach ($id in Get-Content -LiteralPath $pids) {
            $stat = Join-Path -Path '/proc' -ChildPath "$id/stat"
            if (Test-Path -LiteralPath $stat) {
                (Get-Content -LiteralPath $stat) -replace '^.*\) ', '' | Should -BeLike 'Z*' -Because "process $id the hung step started must have ended"
            }
        }
    }

    It 'does not believe an engine that exits 0 and changes nothing' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        $liar = Join-Path -Path $TestDrive -ChildPath 'liar-engine.sh'
        Set-Content -LiteralPath $liar -Value "#!/bin/sh`nexit 0"
        & chmod +x $liar
        Set-OSUpgradeSite -ServicingEngine Command -ServicingCommand $liar -SitePath $sitePath
        $schedule = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64 -Start '2030-01-01 00:00' -SitePath $sitePath
        $run = Invoke-OSUpgradeSchedule -Id $schedule.Id -SitePath $sitePath -ErrorAction SilentlyContinue
        $run.State | Should -Be 'Failed'
        $run.Results.State | Sort-Object -Unique | Should -Be 'Failed'
        $run.Results[0].Message | Should -BeLike '*does not hold it*'
        (Get-OSUpgradePackage -Id $package.Id -SitePath $sitePath).ContentVersion | Should -Be 1
    }

    It 'services WinRE before each index and boot.wim after, with -ServiceWinRe and -ServiceBootImage' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        Set-OSUpgradeSite -ServicingEngine Command -ServicingCommand $testEngine -SitePath $sitePath
        $schedule = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034000-x64, KB5034441-x64 -ServiceWinRe -ServiceBootImage -SitePath $sitePath
        $schedule.ServiceWinRe | Should -BeTrue
        $run = $schedule | Invoke-OSUpgradeSchedule
        $run.State | Should -Be 'Succeeded'
        ($run.Results | Where-Object ImageIndex -eq 1 | ForEach-Object { '{0}:{1}' -f $_.Image, $_.UpdateId }) |
            Should -Be @('winre:KB5034000-x64', 'install:KB5034000-x64', 'install:KB5034441-x64', 'boot:KB5034000-x64', 'boot:KB5034441-x64')
        (Get-OSUpgradeAppliedUpdate -PackageId $package.Id -SitePath $sitePath | Where-Object { $_.Image -eq 'boot' -and $_.Origin -eq 'serviced' }).Count | Should -Be 4
    }

    It 'shows updates, schedules, runs and results in tables that fit 120 columns without cutting IDs, states or versions' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        Set-OSUpgradeSite -ServicingCommand $testEngine -SitePath $sitePath
        $schedule = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64, KB5035001-x64 -WeekOrder Second -DayOfWeek Tuesday -OffsetDays 7 -Start '2030-01-01 22:00' -SitePath $sitePath
        $run = Invoke-OSUpgradeSchedule -Id $schedule.Id -SitePath $sitePath -WarningAction SilentlyContinue
        $tables = @(
            (Get-OSUpgradeUpdate -SitePath $sitePath), (Get-OSUpgradeAppliedUpdate -PackageId $package.Id -SitePath $sitePath),
            $schedule, $run, $run.Results, (Get-OSUpgradeDistributionStatus -SitePath $sitePath), (Get-OSUpgradeDistributionStatus -Summary -SitePath $sitePath)
        ) | ForEach-Object { $_ | Format-Table | Out-String -Width 120 }
        foreach ($table in $tables) {
            $table -split "`n" | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty
        }
        $text = $tables -join "`n"
        foreach ($whole in 'KB5034441-x64', 'ServicingStack', 'PartiallySucceeded', '19041.2965', 'monthly, week 2 Tuesday + 7 days', 'Installed', 'ContentVersion') {
            $text | Should -Match ([regex]::Escape($whole))
        }
        $text | Should -Not -Match '…'
    }

    It 'reads the operational log back by component, severity, time and tail' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        Set-OSUpgradeSite -ServicingCommand $testEngine -SitePath $sitePath
        New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64, KB5035001-x64 -SitePath $sitePath | Invoke-OSUpgradeSchedule -WarningAction SilentlyContinue | Out-Null
        $all = Get-OSUpgradeLog -SitePath $sitePath
        $all.Component | Sort-Object -Unique | Should -Be @('distribution', 'package', 'servicing', 'updates')
        $all | Where-Object { $_.Component -eq 'package' -and $_.Message -like "added $($package.Id) *" } | Should -Not -BeNullOrEmpty
        $warnings = Get-OSUpgradeLog -Component servicing -Severity Warning -SitePath $sitePath
        $warnings.Severity | Sort-Object -Unique | Should -Be 'Warning'
        $warnings.Message -like '*partially succeeded*' | Should -Not -BeNullOrEmpty
        @(Get-OSUpgradeLog -Tail 2 -SitePath $sitePath).Count | Should -Be 2
        Get-OSUpgradeLog -After (Get-Date).AddMinutes(5) -SitePath $sitePath | Should -BeNullOrEmpty
        (Get-OSUpgradeLog -Component 'dist*' -SitePath $sitePath)[0].Time | Should -BeOfType ([datetimeoffset])
        (Get-OSUpgradeLog -Tail 3 -SitePath $sitePath | Format-Table | Out-String -Width 120) | Should -Match 'Severity'
        # Messages that span lines, or hold what a record ends with, are read back whole.
        Add-OSUpgradePackage -SourcePath $otherSource -Name "Two`nlines ]LOG]!> `"q`" ü" -SitePath $sitePath | Out-Null
        $odd = @(Get-OSUpgradeLog -Component package -SitePath $sitePath | Where-Object Message -like "*Two`nlines*")
        $odd.Count | Should -Be 2
    }

    It 'registers the runner as a systemd timer and a cron entry whose command runs due schedules' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        Set-OSUpgradeSite -ServicingEngine Command -ServicingCommand $testEngine -SitePath $sitePath
        New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64 -SitePath $sitePath | Out-Null
        $units = Join-Path -Path $TestDrive -ChildPath 'units'
        $files = Register-OSUpgradeServicingRunner -Scheduler SystemdTimer -Destination $units -IntervalMinutes 10 -SitePath $sitePath
        $files.Name | Should -Be @('osupgrade-servicing-runner.service', 'osupgrade-servicing-runner.timer')
        Get-Content -LiteralPath (Join-Path $units 'osupgrade-servicing-runner.timer') | Should -Contain 'OnUnitActiveSec=10min'
        $execStart = (Get-Content -LiteralPath (Join-Path $units 'osupgrade-servicing-runner.service') | Where-Object { $_ -like 'ExecStart=*' }) -replace '^ExecStart=', ''
        $execStart | Should -BeLike "*Invoke-OSUpgradeSchedule -Due -SitePath '*site.db'*"
        $cron = Join-Path -Path $TestDrive -ChildPath 'osupgrade-cron'
        Register-OSUpgradeServicingRunner -Scheduler Cron -Destination $cron -IntervalMinutes 5 -SitePath $sitePath | Out-Null
        $line = (Get-Content -LiteralPath $cron)[1]
        $line | Should -BeLike "`*/5 `* `* `* `* $([Environment]::UserName) *"
        # The command the scheduler would run services the package.
        & sh -c $execStart | Out-Null
        $LASTEXITCODE | Should -Be 0
        (Get-OSUpgradePackage -Id $package.Id -SitePath $sitePath).ContentVersion | Should -Be 2
        $uneven = { Register-OSUpgradeServicingRunner -Scheduler Cron -Destination $cron -IntervalMinutes 7 -SitePath $sitePath } | Should -Throw -PassThru
        $uneven.Exception.Message | Should -BeLike '*cron runs evenly only every*not every 7*'
        Register-OSUpgradeServicingRunner -Scheduler Cron -Destination (Join-Path $TestDrive 'not-written') -SitePath $sitePath -WhatIf
        Test-Path -LiteralPath (Join-Path $TestDrive 'not-written') | Should -BeFalse
    }
}
