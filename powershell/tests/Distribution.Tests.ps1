BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)
}

Describe 'Distribution points and content distribution' {
    BeforeEach {
        $sitePath = Join-Path -Path $TestDrive -ChildPath ('site-' + [guid]::NewGuid().ToString('N'))
        New-OSUpgradeSite -Path $sitePath | Out-Null
        $pointsPath = Join-Path -Path $TestDrive -ChildPath ('points-' + [guid]::NewGuid().ToString('N'))
        $package = Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -SitePath $sitePath
        foreach ($name in 'DP1', 'DP2') {
            Add-OSUpgradeDistributionPoint -Name $name -Path (Join-Path -Path $pointsPath -ChildPath $name) -SitePath $sitePath | Out-Null
        }
    }

    It 'adds, gets, renames and removes points' {
        (Get-OSUpgradeDistributionPoint -SitePath $sitePath).Name | Should -Be @('DP1', 'DP2')
        (Get-OSUpgradeDistributionPoint -Name 'dp*' -SitePath $sitePath).Count | Should -Be 2
        Get-OSUpgradeDistributionPoint -Name DP2 -SitePath $sitePath | Set-OSUpgradeDistributionPoint -NewName 'Branch-01' -Description 'Branch' -SitePath $sitePath
        (Get-OSUpgradeDistributionPoint -Name 'Branch-01' -SitePath $sitePath).Description | Should -Be 'Branch'
        Remove-OSUpgradeDistributionPoint -Name 'Branch-01' -Force -SitePath $sitePath
        (Get-OSUpgradeDistributionPoint -SitePath $sitePath).Name | Should -Be 'DP1'
    }

    It 'refuses a relative point path with InvalidArgument' {
        $failure = { Add-OSUpgradeDistributionPoint -Name DP3 -Path 'relative/dp3' -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike '*relative/dp3*'
    }

    It 'distributes packages from the pipeline to several points, with progress' {
        Mock -CommandName Write-Progress -ModuleName OSUpgrade
        $statuses = Get-OSUpgradePackage -SitePath $sitePath | Start-OSUpgradeContentDistribution -DistributionPointName DP1, DP2 -SitePath $sitePath
        $statuses.State | Should -Be @('Installed', 'Installed')
        Test-Path -LiteralPath (Join-Path -Path $pointsPath -ChildPath "DP2/$($package.Id)/setup.exe") | Should -BeTrue
        Should -Invoke -CommandName Write-Progress -ModuleName OSUpgrade -ParameterFilter { $Id -eq 2 -and $ParentId -eq 1 }
        $summary = Get-OSUpgradeDistributionStatus -Summary -SitePath $sitePath
        ($summary.Targeted, $summary.Installed) | Should -Be @(2, 2)
    }

    It 'distributes to points piped in, -ThrottleLimit jobs at once, and validates several packages and points' {
        $other = Add-OSUpgradePackage -Path $otherSource -Name 'Other' -Description 'from -Path and -Description' -SitePath $sitePath
        $other.Comment | Should -Be 'from -Path and -Description'
        $statuses = Get-OSUpgradeDistributionPoint -Name 'DP*' -SitePath $sitePath |
            Start-OSUpgradeContentDistribution -PackageId $package.Id, $other.Id -ThrottleLimit 2
        @($statuses).Count | Should -Be 4
        $statuses.State | Sort-Object -Unique | Should -Be 'Installed'
        $reports = Test-OSUpgradeContent -PackageId $package.Id, $other.Id -DistributionPointName DP1, DP2 -SitePath $sitePath
        @($reports).Count | Should -Be 4
        $reports.Valid | Sort-Object -Unique | Should -BeTrue
    }

    It 'distributes nothing with -WhatIf' {
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath -WhatIf
        Get-OSUpgradeDistributionStatus -SitePath $sitePath | Should -BeNullOrEmpty
    }

    It 'validates, names the altered file, and repairs it with Update-OSUpgradeDistributionPoint' {
        $distributed = Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath
        (Test-OSUpgradeContent -PackageId $package.Id -SitePath $sitePath).Valid | Should -BeTrue
        $validated = Get-OSUpgradeDistributionStatus -SitePath $sitePath
        # Validation copies nothing, and keeps the figures of the distribution.
        $validated.BytesCopied | Should -BeGreaterThan 0
        $validated.BytesCopied, $validated.FilesCopied, $validated.FinishedAt | Should -Be $distributed.BytesCopied, $distributed.FilesCopied, $distributed.FinishedAt
        Set-Content -LiteralPath (Join-Path -Path $pointsPath -ChildPath "DP1/$($package.Id)/sources/ei.cfg") -Value 'tampered'
        $report = Test-OSUpgradeContent -PackageId $package.Id -SitePath $sitePath
        $report.Valid | Should -BeFalse
        $report.Altered | Should -Be 'sources/ei.cfg'
        (Get-OSUpgradeDistributionStatus -State Failed -SitePath $sitePath).DistributionPoint | Should -Be 'DP1'

        $repaired = Get-OSUpgradeDistributionStatus -State Failed -SitePath $sitePath | Update-OSUpgradeDistributionPoint -SitePath $sitePath
        $repaired.State | Should -Be 'Installed'
        $repaired.FilesCopied | Should -Be 1
        (Test-OSUpgradeContent -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath).Valid | Should -BeTrue
    }

    # chattr is Linux's.
    It 'writes a non-terminating error for each failed job, with its class, and goes on' -Tag Posix {
        # DP1's control folder made immutable (even root cannot add the lock file there): that
        # job fails with an I/O error. A link or folder planted there would be replaced instead.
        $control = Join-Path -Path $pointsPath -ChildPath 'DP1/.osupgrade'
        & chattr +i $control 2>$null
        if ($LASTEXITCODE -ne 0) {
            Set-ItResult -Skipped -Because 'this file system cannot make a folder immutable'
            return
        }
        try {
            $output = @(Invoke-Capturing { Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1, DP2 -SitePath $sitePath })
        }
        finally {
            & chattr -i $control
        }
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        ($output | Where-Object { $_ -is [OSUpgrade.DistributionStatus] }).State | Should -Be @('Failed', 'Installed')
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'OSUpgradeDistributionFailed,*'
        # chattr +i refuses with EPERM: access denied, as EACCES is.
        $errors[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $errors[0].Exception | Should -BeOfType ([OSUpgrade.OSUpgradeAccessDeniedException])
        $errors[0].TargetObject | Should -Be "$($package.Id) on DP1"
        # What an admin reads names the package and the point, not only a file of it.
        "$($errors[0])" | Should -BeLike "$($package.Id) on DP1: *"
    }

    It 'refuses to distribute, ResourceBusy, while another process changes the package on a point' {
        $lockPath = Join-Path -Path $pointsPath -ChildPath "DP1/.osupgrade/$($package.Id).lock"
        $lock = [System.IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'ReadWrite')
        try {
            $lock.Lock(0, 0)
            $failure = { Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath -ErrorAction Stop } |
                Should -Throw -PassThru
        }
        finally {
            $lock.Dispose()
        }
        $failure.CategoryInfo.Category | Should -Be 'ResourceBusy'
        $failure.Exception.Message | Should -BeLike '*another process*'
    }

    It 'writes ResourceBusy when another process is changing the package on the point' {
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath | Out-Null
        $lockPath = Join-Path -Path $pointsPath -ChildPath "DP1/.osupgrade/$($package.Id).lock"
        $lock = [System.IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'ReadWrite')
        try {
            $lock.Lock(0, 0)
            $failures = @(Get-WrittenError { Test-OSUpgradeContent -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath })
        }
        finally {
            $lock.Dispose()
        }
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
        $failures[0].TargetObject | Should -Be "$($package.Id) on DP1"
    }

    It 'picks up a changed source with -ReloadFromSource' {
        $changing = New-TestSource -Name ('changing-' + [guid]::NewGuid().ToString('N')) -SmallFiles 3
        $other = Add-OSUpgradePackage -SourcePath $changing -Name 'Changing' -SitePath $sitePath
        Start-OSUpgradeContentDistribution -PackageId $other.Id -DistributionPointName DP1 -SitePath $sitePath | Out-Null
        Set-Content -LiteralPath (Join-Path -Path $changing -ChildPath 'sources/new.txt') -Value 'version 2'
        $status = Update-OSUpgradeDistributionPoint -PackageId $other.Id -ReloadFromSource -SitePath $sitePath
        $status.InstalledContentVersion | Should -Be 2
        Test-Path -LiteralPath (Join-Path -Path $pointsPath -ChildPath "DP1/$($other.Id)/sources/new.txt") | Should -BeTrue
        # A few bytes copied are not shown as nothing copied.
        ($status | Format-Table | Out-String -Width 200) | Should -Match '< 0\.1'
    }

    It 'sends a changed large image by the chunks that changed, and shows what the point reused' {
        $large = New-TestSource -Name ('large-' + [guid]::NewGuid().ToString('N')) -SmallFiles 3 -ImageMiB 24
        $other = Add-OSUpgradePackage -SourcePath $large -Name 'Large' -SitePath $sitePath
        Start-OSUpgradeContentDistribution -PackageId $other.Id -DistributionPointName DP1 -SitePath $sitePath | Out-Null
        # Servicing appends to an image: a mebibyte more at the end of this one.
        $appended = [byte[]]::new(1MB)
        [System.Random]::new(7).NextBytes($appended)
        $stream = [System.IO.File]::Open((Join-Path -Path $large -ChildPath 'sources/install.wim'), 'Append')
        try { $stream.Write($appended, 0, $appended.Length) } finally { $stream.Dispose() }
        $status = Update-OSUpgradeDistributionPoint -PackageId $other.Id -ReloadFromSource -SitePath $sitePath
        $status.InstalledContentVersion | Should -Be 2
        $status.BytesCopied | Should -BeLessThan 3MB
        $status.BytesReused | Should -BeGreaterThan 20MB
        ($status | Format-Table | Out-String -Width 200) | Should -Match 'Reused \(MB\)'
        (Test-OSUpgradeContent -PackageId $other.Id -DistributionPointName DP1 -SitePath $sitePath).Valid | Should -BeTrue
    }

    It 'removes content from points, and a point with content only with -Force' {
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1, DP2 -SitePath $sitePath | Out-Null
        $failures = @(Get-WrittenError { Remove-OSUpgradeDistributionPoint -Name DP1 -Confirm:$false -SitePath $sitePath })
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-OSUpgradeDistributionStatus -DistributionPointName DP2 -SitePath $sitePath | Remove-OSUpgradeContentDistribution -Force -SitePath $sitePath
        Test-Path -LiteralPath (Join-Path -Path $pointsPath -ChildPath "DP2/$($package.Id)") | Should -BeFalse
        Remove-OSUpgradeDistributionPoint -Name DP1 -Force -SitePath $sitePath
        Test-Path -LiteralPath (Join-Path -Path $pointsPath -ChildPath "DP1/$($package.Id)") | Should -BeFalse
    }

    It 'refuses a point whose folder is gone (a share not mounted) and never makes it on the local disk' {
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath | Out-Null
        $folder = Join-Path -Path $pointsPath -ChildPath DP1
        # Under wine a handle the last run closed may be let go late, and the folder with it.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (Test-Path -LiteralPath $folder) {
            [DateTime]::UtcNow | Should -BeLessThan $deadline
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
            if (Test-Path -LiteralPath $folder) { Start-Sleep -Milliseconds 100 }
        }
        $output = Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath -ErrorVariable failures -ErrorAction SilentlyContinue
        $output.State | Should -Be 'Failed'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($failures[0])" | Should -BeLike "*of distribution point 'DP1' does not exist: mount its share*"
        Test-Path -LiteralPath $folder | Should -BeFalse
        (Get-OSUpgradeDistributionStatus -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath).State | Should -Be 'Failed'
    }

    It 'completes distribution point names with Tab' {
        $line = "Start-OSUpgradeContentDistribution -SitePath '$sitePath' -DistributionPointName D"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('DP1', 'DP2')
    }

    It 'formats statuses as a table with state and versions' {
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath | Out-Null
        $table = Get-OSUpgradeDistributionStatus -SitePath $sitePath | Format-Table | Out-String -Width 200
        $table | Should -Match 'DistributionPoint'
        $table | Should -Match 'Installed'
    }
}
