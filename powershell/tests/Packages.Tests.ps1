BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)
}

Describe 'Add-OSUpgradePackage' {
    BeforeEach {
        $sitePath = Join-Path -Path $TestDrive -ChildPath ('site-' + [guid]::NewGuid().ToString('N'))
        New-OSUpgradeSite -Path $sitePath | Out-Null
    }

    It 'shows what the library logs with -Verbose' {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site-verbose'
        New-OSUpgradeSite -Path $sitePath | Out-Null
        $verbose = Add-OSUpgradePackage -SourcePath $source -Name 'Verbose' -SitePath $sitePath -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -like 'package: added OSU00001*').Count | Should -Be 1
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
        { Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10' -SitePath $sitePath -ErrorAction Stop } | Should -Throw
        (Get-OSUpgradeSite -SitePath $sitePath).PackageCount | Should -Be 0
        (Get-OSUpgradeSite -SitePath $sitePath).BlobCount | Should -Be 0
        # The site was closed: on Windows a database left open cannot be deleted.
        { Remove-Item -LiteralPath $sitePath -Recurse -Force -ErrorAction Stop } | Should -Not -Throw
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
        $failure = { Add-OSUpgradePackage -SourcePath $broken -Name 'Windows 10' -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike '*no setup.exe*'
    }

    It 'fails with InvalidData for a damaged install.wim' {
        $broken = New-TestSource -Name ('bad-wim-' + [guid]::NewGuid().ToString('N')) -SmallFiles 3
        [System.IO.File]::WriteAllBytes((Join-Path -Path $broken -ChildPath 'sources/install.wim'), [byte[]]::new(4096))
        $failure = { Add-OSUpgradePackage -SourcePath $broken -Name 'Windows 10' -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'fails with ResourceExists for the same name and version' {
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10' -Version '22H2' -SitePath $sitePath | Out-Null
        $failure = { Add-OSUpgradePackage -SourcePath $otherSource -Name 'windows 10' -Version '22h2' -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
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

    It 'lists content versions, newest first, with their state and origin' {
        $versioned = Join-Path -Path $TestDrive -ChildPath 'versioned-source'
        Copy-Item -LiteralPath $source -Destination $versioned -Recurse
        $package = Add-OSUpgradePackage -SourcePath $versioned -Name 'Versioned' -SitePath $sitePath
        Set-Content -LiteralPath (Join-Path $versioned 'sources/ei.cfg') -Value '[EditionID]'
        Update-OSUpgradeDistributionPoint -PackageId $package.Id -ReloadFromSource -SitePath $sitePath | Out-Null
        $versions = $package | Get-OSUpgradeContentVersion
        ($versions | ForEach-Object { "$($_.Number) $($_.State) $($_.Origin)" }) | Should -Be @('2 Current reloaded', '1 Retained added')
        ($versions | Format-Table | Out-String -Width 120) | Should -Match 'Retained'
        $missing = Get-WrittenError { Get-OSUpgradeContentVersion -PackageId OSU99999 -SitePath $sitePath }
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'formats packages as a table with editions and build' {
        $table = Get-OSUpgradePackage -SitePath $sitePath | Format-Table | Out-String -Width 200
        $table | Should -Match 'Editions'
        $table | Should -Match 'Professional, Enterprise'
        $table | Should -Match '10\.0\.19045\.2965'
    }
}
