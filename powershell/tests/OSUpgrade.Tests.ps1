BeforeDiscovery {
    $manifestPath = Join-Path -Path $PSScriptRoot -ChildPath '../OSUpgrade/OSUpgrade.psd1'
    $exported = (Import-PowerShellDataFile -Path $manifestPath).FunctionsToExport
}

BeforeAll {
    # Output and error records of a command, as a user sees them, with non-terminating errors
    # left non-terminating. Not -ErrorVariable: PowerShell also puts there the .NET exceptions a
    # function catches and turns into those records.
    function Invoke-Capturing {
        param([scriptblock] $Command)
        $ErrorActionPreference = 'Continue'
        @(& $Command 2>&1)
    }

    function Get-WrittenError {
        param([scriptblock] $Command)
        @(Invoke-Capturing $Command | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    }

    $repository = (Resolve-Path -Path (Join-Path -Path $PSScriptRoot -ChildPath '../..')).Path
    Import-Module -Name (Join-Path -Path $repository -ChildPath 'powershell/OSUpgrade') -Force
    $makeSource = Join-Path -Path $repository -ChildPath 'tests/fixtures/make-source.sh'

    function New-TestSource {
        param([string] $Name, [int] $SmallFiles = 20)
        $path = Join-Path -Path $TestDrive -ChildPath $Name
        & bash $makeSource $path --small-files $SmallFiles
        if ($LASTEXITCODE -ne 0) { throw "make-source.sh failed for $path" }
        $path
    }

    $script:source = New-TestSource -Name 'source'
    $script:otherSource = New-TestSource -Name 'other-source'
}

Describe 'The module' {
    It 'exports one cmdlet per file of Public/, as the manifest lists them, all with approved verbs' {
        $commands = (Get-Module -Name OSUpgrade).ExportedFunctions.Keys | Sort-Object
        $files = Get-ChildItem -Path (Join-Path -Path $repository -ChildPath 'powershell/OSUpgrade/Public') -Filter '*.ps1' | ForEach-Object BaseName | Sort-Object
        $commands | Should -Be $files
        $manifest = Import-PowerShellDataFile -Path (Join-Path -Path $repository -ChildPath 'powershell/OSUpgrade/OSUpgrade.psd1')
        $commands | Should -Be ($manifest.FunctionsToExport | Sort-Object)
        $commands | Should -Contain 'Start-OSUpgradeContentDistribution'
        $approved = (Get-Verb).Verb
        foreach ($command in $commands) {
            $command.Split('-')[0] | Should -BeIn $approved
        }
    }

    It 'has a valid manifest for Windows PowerShell 5.1 and PowerShell 7' {
        $manifest = Test-ModuleManifest -Path (Join-Path -Path $repository -ChildPath 'powershell/OSUpgrade/OSUpgrade.psd1')
        $manifest.PowerShellVersion | Should -Be ([version] '5.1')
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'has help with a synopsis, every parameter and at least two examples for <_>' -ForEach $exported {
        $help = Get-Help -Name $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$_\s"
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in (Get-Command -Name $_).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $described = $help.Parameters.Parameter | Where-Object Name -EQ $parameter
            ($described.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }

    It 'ships the about_OSUpgrade topic' {
        Get-Help -Name about_OSUpgrade | Out-String | Should -Match 'single-instance|content library'
    }
}

Describe 'New-OSUpgradeSite and Get-OSUpgradeSite' {
    It 'creates a site and reports its path, code and an empty library' {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site-info'
        $created = New-OSUpgradeSite -Path $sitePath -SiteCode LAB
        $created.SiteCode | Should -Be 'LAB'
        $info = Get-OSUpgradeSite -SitePath $sitePath
        $info | Should -BeOfType ([OSUpgrade.SiteInfo])
        $info.DatabasePath | Should -Be (Join-Path -Path $sitePath -ChildPath 'site.db')
        $info.SitePath | Should -Be $info.DatabasePath
        $info.PackageCount | Should -Be 0
    }

    It 'refuses to create a site where one exists, with ResourceExists' {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site-twice'
        New-OSUpgradeSite -Path $sitePath | Out-Null
        $failure = { New-OSUpgradeSite -Path $sitePath } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'sets the retained content versions of a site, from the pipeline too' {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site-retained'
        New-OSUpgradeSite -Path $sitePath | Out-Null
        (Get-OSUpgradeSite -SitePath $sitePath).RetainedContentVersions | Should -Be 1
        $info = Get-OSUpgradeSite -SitePath $sitePath | Set-OSUpgradeSite -RetainedContentVersions 3 -PassThru
        $info.RetainedContentVersions | Should -Be 3
        Set-OSUpgradeSite -RetainedContentVersions 0 -SitePath $sitePath -WhatIf
        (Get-OSUpgradeSite -SitePath $sitePath).RetainedContentVersions | Should -Be 3
        { Set-OSUpgradeSite -RetainedContentVersions 101 -SitePath $sitePath } | Should -Throw
    }

    It 'creates nothing with -WhatIf' {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site-whatif'
        New-OSUpgradeSite -Path $sitePath -WhatIf
        Test-Path -LiteralPath $sitePath | Should -BeFalse
    }

    It 'never creates a site by opening a mistyped path: ObjectNotFound, and nothing made there' {
        $typo = Join-Path -Path $TestDrive -ChildPath 'Lba'
        $failure = { Get-OSUpgradePackage -SitePath $typo } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.Exception.Message | Should -BeLike '*Lba*'
        Test-Path -LiteralPath $typo | Should -BeFalse
    }

    It 'follows $env:OSUPGRADE_SITE when no path is given, creating it on first use' {
        $env:OSUPGRADE_SITE = Join-Path -Path $TestDrive -ChildPath 'site-from-env'
        try {
            (Get-OSUpgradeSite).DatabasePath | Should -Be (Join-Path -Path $env:OSUPGRADE_SITE -ChildPath 'site.db')
        }
        finally {
            Remove-Item -Path Env:OSUPGRADE_SITE
        }
    }

    It 'acts on the site a piped record came from, not on the default site' {
        $siteA = Join-Path -Path $TestDrive -ChildPath 'site-a'
        $env:OSUPGRADE_SITE = Join-Path -Path $TestDrive -ChildPath 'site-default'
        try {
            New-OSUpgradeSite -Path $siteA | Out-Null
            $inA = Add-OSUpgradePackage -SourcePath $source -Name 'In A' -SitePath $siteA
            $inDefault = Add-OSUpgradePackage -SourcePath $source -Name 'In default'
            $inA.Id | Should -Be $inDefault.Id
            Get-OSUpgradePackage -SitePath $siteA | Set-OSUpgradePackage -Comment 'changed through the pipeline'
            (Get-OSUpgradePackage -SitePath $siteA).Comment | Should -Be 'changed through the pipeline'
            (Get-OSUpgradePackage).Comment | Should -Be ''
            Get-OSUpgradePackage -SitePath $siteA | Remove-OSUpgradePackage -Confirm:$false
            @(Get-OSUpgradePackage -SitePath $siteA).Count | Should -Be 0
            @(Get-OSUpgradePackage).Count | Should -Be 1
        }
        finally {
            Remove-Item -Path Env:OSUPGRADE_SITE
        }
    }
}

Describe 'Add-OSUpgradePackage' {
    BeforeEach {
        $sitePath = Join-Path -Path $TestDrive -ChildPath ('site-' + [guid]::NewGuid().ToString('N'))
        New-OSUpgradeSite -Path $sitePath | Out-Null
    }

    It 'adds the source and outputs the package with its image indexes' {
        $package = Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -Version '19045.2965' -Comment 'Pilot' -SitePath $sitePath
        $package | Should -BeOfType ([OSUpgrade.UpgradePackage])
        $package.Id | Should -Be 'OSU00001'
        $package.Images.EditionId | Should -Be @('Professional', 'Enterprise')
        $package.Images[0].Version | Should -Be '10.0.19045.2965'
        $package.Images[0].Architecture | Should -Be 'x64'
        (Get-OSUpgradeSite -SitePath $sitePath).PackageCount | Should -Be 1
    }

    It 'resolves a relative source path against the current location' {
        Push-Location -Path $TestDrive
        try {
            (Add-OSUpgradePackage -SourcePath ./source -Name 'Relative' -SitePath $sitePath).SourcePath | Should -Be $source
        }
        finally {
            Pop-Location
        }
    }

    It 'adds nothing with -WhatIf' {
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10' -SitePath $sitePath -WhatIf | Should -BeNullOrEmpty
        (Get-OSUpgradeSite -SitePath $sitePath).PackageCount | Should -Be 0
    }

    It 'writes progress records while it works' {
        Mock -CommandName Write-Progress -ModuleName OSUpgrade
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10' -SitePath $sitePath | Out-Null
        Should -Invoke -CommandName Write-Progress -ModuleName OSUpgrade -ParameterFilter { $PercentComplete -gt 0 -and $Id -eq 1 }
        Should -Invoke -CommandName Write-Progress -ModuleName OSUpgrade -ParameterFilter { $Completed } -Times 1 -Exactly
    }

    It 'stops and records nothing when progress is interrupted' {
        Mock -CommandName Write-Progress -ModuleName OSUpgrade -MockWith {
            if ($Status -like 'Importing*') { throw [System.Management.Automation.PipelineStoppedException]::new() }
        }
        { Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10' -SitePath $sitePath } | Should -Throw
        (Get-OSUpgradeSite -SitePath $sitePath).PackageCount | Should -Be 0
        (Get-OSUpgradeSite -SitePath $sitePath).BlobCount | Should -Be 0
    }

    It 'fails with ObjectNotFound naming a missing folder' {
        $missing = Join-Path -Path $TestDrive -ChildPath 'no-such-source'
        $failure = { Add-OSUpgradePackage -SourcePath $missing -Name 'Windows 10' -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.TargetObject | Should -Be $missing
        $failure.FullyQualifiedErrorId | Should -BeLike 'OSUpgradeNotFound,*'
        $failure.Exception.Message | Should -BeLike "*$missing*"
    }

    It 'fails with InvalidArgument for a folder without setup.exe' {
        $broken = New-TestSource -Name ('no-setup-' + [guid]::NewGuid().ToString('N')) -SmallFiles 3
        Remove-Item -Path (Join-Path -Path $broken -ChildPath 'setup.exe')
        $failure = { Add-OSUpgradePackage -SourcePath $broken -Name 'Windows 10' -SitePath $sitePath } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike '*no setup.exe*'
    }

    It 'fails with InvalidData for a damaged install.wim' {
        $broken = New-TestSource -Name ('bad-wim-' + [guid]::NewGuid().ToString('N')) -SmallFiles 3
        [System.IO.File]::WriteAllBytes((Join-Path -Path $broken -ChildPath 'sources/install.wim'), [byte[]]::new(4096))
        $failure = { Add-OSUpgradePackage -SourcePath $broken -Name 'Windows 10' -SitePath $sitePath } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'fails with ResourceExists for the same name and version' {
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10' -Version '22H2' -SitePath $sitePath | Out-Null
        $failure = { Add-OSUpgradePackage -SourcePath $otherSource -Name 'windows 10' -Version '22h2' -SitePath $sitePath } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
    }
}

Describe 'Get-, Set- and Remove-OSUpgradePackage' {
    BeforeEach {
        $sitePath = Join-Path -Path $TestDrive -ChildPath ('site-' + [guid]::NewGuid().ToString('N'))
        New-OSUpgradeSite -Path $sitePath | Out-Null
        foreach ($name in 'Windows 10 22H2', 'Windows 11 23H2', 'Windows 11 24H2') {
            Add-OSUpgradePackage -SourcePath $source -Name $name -SitePath $sitePath | Out-Null
        }
    }

    It 'gets packages by name with wildcards, in any letter case' {
        (Get-OSUpgradePackage -Name 'windows 11*' -SitePath $sitePath).Name | Should -Be @('Windows 11 23H2', 'Windows 11 24H2')
        @(Get-OSUpgradePackage -SitePath $sitePath).Count | Should -Be 3
        Get-OSUpgradePackage -Name 'Server*' -SitePath $sitePath | Should -BeNullOrEmpty
        # PowerShell's own wildcards, ranges too.
        (Get-OSUpgradePackage -Name 'Windows 1[1]* 2[3]H2' -SitePath $sitePath).Name | Should -Be 'Windows 11 23H2'
    }

    It 'writes a non-terminating error for a name without wildcards that matches nothing' {
        $output = @(Invoke-Capturing { Get-OSUpgradePackage -Name 'Windows 12' -SitePath $sitePath })
        $output.Count | Should -Be 1
        $output[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'gets packages by ID and goes on past an unknown one' {
        $output = @(Invoke-Capturing { 'OSU00003', 'OSU000FF', 'OSU00001' | Get-OSUpgradePackage -SitePath $sitePath })
        ($output | Where-Object { $_ -is [OSUpgrade.UpgradePackage] }).Id | Should -Be @('OSU00003', 'OSU00001')
        $failures = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -Be 'OSU000FF'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'sets only the fields given, taking packages from the pipeline' {
        $changed = Get-OSUpgradePackage -Name 'Windows 11*' -SitePath $sitePath | Set-OSUpgradePackage -Comment 'Pilot ring' -PassThru -SitePath $sitePath
        $changed.Comment | Should -Be @('Pilot ring', 'Pilot ring')
        $changed.Name | Should -Be @('Windows 11 23H2', 'Windows 11 24H2')
        (Set-OSUpgradePackage -Id OSU00001 -NewName 'Windows 10 Enterprise' -Version '2' -PassThru -SitePath $sitePath).Name | Should -Be 'Windows 10 Enterprise'
    }

    It 'changes nothing with -WhatIf' {
        Set-OSUpgradePackage -Id OSU00001 -Comment 'changed' -SitePath $sitePath -WhatIf
        (Get-OSUpgradePackage -Id OSU00001 -SitePath $sitePath).Comment | Should -Be ''
        Get-OSUpgradePackage -Name 'Windows 11*' -SitePath $sitePath | Remove-OSUpgradePackage -SitePath $sitePath -WhatIf
        @(Get-OSUpgradePackage -SitePath $sitePath).Count | Should -Be 3
    }

    It 'writes ResourceExists when a change would repeat a name and version' {
        $failures = @(Get-WrittenError { Set-OSUpgradePackage -Id OSU00002 -NewName 'Windows 11 24H2' -SitePath $sitePath })
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'removes packages from the pipeline with -Force' {
        Get-OSUpgradePackage -Name 'Windows 11*' -SitePath $sitePath | Remove-OSUpgradePackage -Force -SitePath $sitePath
        (Get-OSUpgradePackage -SitePath $sitePath).Id | Should -Be 'OSU00001'
    }

    It 'writes ObjectNotFound when removing an unknown package' {
        $failures = @(Get-WrittenError { Remove-OSUpgradePackage -Id 'OSU000FF' -Force -SitePath $sitePath })
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'completes package IDs and names with Tab' {
        $line = "Get-OSUpgradePackage -SitePath '$sitePath' -Id OSU0000"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('OSU00001', 'OSU00002', 'OSU00003')
        $line = "Get-OSUpgradePackage -SitePath '$sitePath' -Name 'Windows 11"
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText
        $names | Should -Be @('Windows 11 23H2', 'Windows 11 24H2')
    }

    It 'formats packages as a table with editions and build' {
        $table = Get-OSUpgradePackage -SitePath $sitePath | Format-Table | Out-String -Width 200
        $table | Should -Match 'Editions'
        $table | Should -Match 'Professional, Enterprise'
        $table | Should -Match '10\.0\.19045\.2965'
    }
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
        $failure = { Add-OSUpgradeDistributionPoint -Name DP3 -Path 'relative/dp3' -SitePath $sitePath } | Should -Throw -PassThru
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
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath | Out-Null
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

    It 'writes a non-terminating error for each failed job, with its class, and goes on' {
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
        $errors[0].CategoryInfo.Category | Should -Be 'WriteError'
        $errors[0].Exception | Should -BeOfType ([OSUpgrade.OSUpgradeIOException])
        $errors[0].TargetObject | Should -Be "$($package.Id) on DP1"
    }

    It 'refuses to distribute, ResourceBusy, while another process changes the package on a point' {
        $lockPath = Join-Path -Path $pointsPath -ChildPath "DP1/.osupgrade/$($package.Id).lock"
        $lock = [System.IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'ReadWrite')
        try {
            $lock.Lock(0, 0)
            $failure = { Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName DP1 -SitePath $sitePath } |
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

Describe 'Software updates and servicing schedules' {
    BeforeAll {
        $makeUpdate = Join-Path -Path $repository -ChildPath 'tests/fixtures/make-update.sh'
        $testEngine = Join-Path -Path $repository -ChildPath 'tests/fixtures/test-engine.sh'
        $updates = Join-Path -Path $TestDrive -ChildPath 'updates'
        $null = New-Item -ItemType Directory -Path $updates -Force
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034441-x64_22bb.msu') KB5034441 19041.3930
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034000-x64_11aa.cab') KB5034000 19041.3920
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5035001-x64_77aa.msu') KB5035001 19041.4046 --broken
        $catalog = Join-Path -Path $TestDrive -ChildPath 'catalog.json'
        Set-Content -LiteralPath $catalog -Value @'
{ "updates": [
  { "fileName": "windows10.0-kb5034000-x64_11aa.cab", "classification": "ServicingStack", "builds": [19045], "releaseDate": "2024-01-09" },
  { "fileName": "windows10.0-kb5034441-x64_22bb.msu", "classification": "Cumulative", "builds": [19045], "releaseDate": "2024-01-09",
    "title": "2024-01 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems", "supersedes": ["KB5026361"] }
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

    It 'imports nothing with -WhatIf, and refuses a file that is no update with InvalidArgument' {
        Import-OSUpgradeUpdate -Path $updates -SitePath $sitePath -WhatIf
        Get-OSUpgradeUpdate -SitePath $sitePath | Should -BeNullOrEmpty
        $junk = Join-Path -Path $TestDrive -ChildPath 'windows10.0-kb5099999-x64_1.msu'
        Set-Content -LiteralPath $junk -Value 'not a cabinet'
        $failure = { Import-OSUpgradeUpdate -Path $updates, $junk -SitePath $sitePath } | Should -Throw -PassThru
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
    }

    It 'schedules applicable updates from the pipeline a week after Patch Tuesday, and changes and removes schedules' {
        Import-OSUpgradeUpdate -Path $updates -CatalogPath $catalog -SitePath $sitePath | Out-Null
        $schedule = Get-OSUpgradeApplicableUpdate -PackageId $package.Id -SitePath $sitePath |
            Where-Object Id -ne 'KB5035001-x64' |
            New-OSUpgradeSchedule -WeekOrder Second -DayOfWeek Tuesday -OffsetDays 7 -Start '2030-01-01 22:00' -Utc
        $schedule.UpdateIds | Should -Be @('KB5034000-x64', 'KB5034441-x64')
        $schedule.NextRunAt.UtcDateTime | Should -Be ([datetime]::new(2030, 1, 15, 22, 0, 0, [DateTimeKind]::Utc))
        $schedule.ContinueOnError | Should -BeTrue
        $changed = $schedule | Set-OSUpgradeSchedule -DayOfMonth 31 -Enabled $false -PassThru
        $changed.Recurrence.Kind | Should -Be 'MonthlyOnDay'
        $changed.NextRunAt.UtcDateTime | Should -Be ([datetime]::new(2030, 1, 31, 22, 0, 0, [DateTimeKind]::Utc))
        $changed.Enabled | Should -BeFalse
        (Get-OSUpgradeSchedule -PackageId $package.Id -SitePath $sitePath | Format-Table | Out-String -Width 200) | Should -Match 'monthly on day 31'
        $failures = @(Get-WrittenError { Remove-OSUpgradeUpdate -Id KB5034441-x64 -SitePath $sitePath })
        $failures[0].CategoryInfo.Category | Should -Be 'ResourceExists'
        Get-OSUpgradeSchedule -PackageId $package.Id -SitePath $sitePath | Remove-OSUpgradeSchedule
        Get-OSUpgradeSchedule -SitePath $sitePath | Should -BeNullOrEmpty
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
        $abort = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5035001-x64 -ContinueOnError $false -Start '2030-01-01 00:00' -SitePath $sitePath
        Invoke-OSUpgradeSchedule -Id $abort.Id -SitePath $sitePath -WhatIf
        Get-OSUpgradeServicingRun -PackageId $package.Id -SitePath $sitePath | Should -BeNullOrEmpty
        $output = Invoke-Capturing { Invoke-OSUpgradeSchedule -Id $abort.Id -SitePath $sitePath }
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'OSUpgradeServicingFailed*'
        ($output | Where-Object { $_ -is [OSUpgrade.ServicingRun] }).State | Should -Be 'Failed'
        (Get-OSUpgradePackage -Id $package.Id -SitePath $sitePath).ContentVersion | Should -Be 1
        $partial = New-OSUpgradeSchedule -PackageId $package.Id -SoftwareUpdate KB5034441-x64, KB5035001-x64 -Start '2030-01-01 00:00' -SitePath $sitePath
        $run = Invoke-OSUpgradeSchedule -Id $partial.Id -SitePath $sitePath -WarningVariable warnings -WarningAction SilentlyContinue
        $run.State | Should -Be 'PartiallySucceeded'
        $warnings[0] | Should -BeLike '*1 of 2 updates failed (KB5035001-x64)*'
        ($run.Results | Where-Object State -eq 'Failed').ExitCode | Should -Be @(87, 87)
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
