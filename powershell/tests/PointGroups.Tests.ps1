BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)
}

Describe 'Distribution point groups' {
    BeforeEach {
        $sitePath = Join-Path -Path $TestDrive -ChildPath ('site-' + [guid]::NewGuid().ToString('N'))
        New-OSUpgradeSite -Path $sitePath | Out-Null
        $pointsPath = Join-Path -Path $TestDrive -ChildPath ('points-' + [guid]::NewGuid().ToString('N'))
        $package = Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -SitePath $sitePath
        foreach ($name in 'Branch-01', 'Branch-02', 'Lab') {
            Add-OSUpgradeDistributionPoint -Name $name -Path (Join-Path -Path $pointsPath -ChildPath $name) -SitePath $sitePath | Out-Null
        }
        $tree = { param($point) Join-Path -Path $pointsPath -ChildPath "$point/$($package.Id)/setup.exe" }
    }

    It 'creates, finds with wildcards, renames and removes groups' {
        New-OSUpgradeDistributionPointGroup -Name Branches -Description 'Branch offices' -SitePath $sitePath | Out-Null
        New-OSUpgradeDistributionPointGroup -Name Labs -SitePath $sitePath | Out-Null
        (Get-OSUpgradeDistributionPointGroup -Name '[bl]*' -SitePath $sitePath).Name | Should -Be @('Branches', 'Labs')
        Get-OSUpgradeDistributionPointGroup -Name Labs -SitePath $sitePath | Set-OSUpgradeDistributionPointGroup -NewName 'Test labs' -Description 'Lab'
        (Get-OSUpgradeDistributionPointGroup -Name 'test LABS' -SitePath $sitePath).Description | Should -Be 'Lab'
        Get-OSUpgradeDistributionPointGroup -Name 'Test*' -SitePath $sitePath | Remove-OSUpgradeDistributionPointGroup -Force
        (Get-OSUpgradeDistributionPointGroup -SitePath $sitePath).Name | Should -Be 'Branches'

        $failure = { New-OSUpgradeDistributionPointGroup -Name branches -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
        $failure = { New-OSUpgradeDistributionPointGroup -Name 'Branch*' -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $missing = Get-WrittenError { Get-OSUpgradeDistributionPointGroup -Name Nope -SitePath $sitePath }
        $missing.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'finds groups by ID, with or without braces, through renames' {
        $branches = New-OSUpgradeDistributionPointGroup -Name Branches -SitePath $sitePath
        $labs = New-OSUpgradeDistributionPointGroup -Name Labs -SitePath $sitePath
        $branches.Id | Should -Match '^\{[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\}$'
        $branches.Id | Should -Not -Be $labs.Id
        Set-OSUpgradeDistributionPointGroup -Name Branches -NewName Offices -SitePath $sitePath
        (Get-OSUpgradeDistributionPointGroup -Id $branches.Id -SitePath $sitePath).Name | Should -Be 'Offices'
        $bare = $labs.Id.Trim('{', '}').ToLowerInvariant()
        (Get-OSUpgradeDistributionPointGroup -Id $bare, $branches.Id -SitePath $sitePath).Name | Should -Be @('Labs', 'Offices')

        $unknown = '{00000000-0000-4000-8000-000000000000}'
        $found = Get-OSUpgradeDistributionPointGroup -Id $unknown, $labs.Id -SitePath $sitePath -ErrorVariable failures -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'Labs'
        $failures.Count | Should -Be 1
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be $unknown
    }

    It 'gives a group''s packages to its points and to points piped in later, then validates and removes them' {
        New-OSUpgradeDistributionPointGroup -Name Branches -SitePath $sitePath | Out-Null
        Add-OSUpgradeDistributionPointToGroup -DistributionPointGroupName Branches -DistributionPointName Branch-01 -SitePath $sitePath |
            Should -BeNullOrEmpty
        $statuses = Get-OSUpgradePackage -SitePath $sitePath | Start-OSUpgradeContentDistribution -DistributionPointGroupName Branches
        $statuses.DistributionPoint | Should -Be 'Branch-01'
        Test-Path -LiteralPath (& $tree 'Branch-01') | Should -BeTrue

        $joined = Get-OSUpgradeDistributionPoint -Name 'Branch*' -SitePath $sitePath |
            Add-OSUpgradeDistributionPointToGroup -DistributionPointGroupName Branches -ThrottleLimit 2
        $joined.State | Sort-Object -Unique | Should -Be 'Installed'
        Test-Path -LiteralPath (& $tree 'Branch-02') | Should -BeTrue
        Test-Path -LiteralPath (& $tree 'Lab') | Should -BeFalse
        $group = Get-OSUpgradeDistributionPointGroup -Name Branches -SitePath $sitePath
        $group.Members | Should -Be @('Branch-01', 'Branch-02')
        $group.PackageIds | Should -Be $package.Id

        Set-Content -LiteralPath (& $tree 'Branch-02') -Value 'tampered'
        $reports = Test-OSUpgradeContent -DistributionPointGroupName Branches -SitePath $sitePath
        @($reports).Count | Should -Be 2
        ($reports | Where-Object { -not $_.Valid }).DistributionPoint | Should -Be 'Branch-02'
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointGroupName Branches -SitePath $sitePath | Out-Null
        (Test-OSUpgradeContent -PackageId $package.Id -DistributionPointGroupName Branches -SitePath $sitePath).Valid |
            Sort-Object -Unique | Should -BeTrue

        Remove-OSUpgradeDistributionPointFromGroup Branches -DistributionPointName Branch-02 -SitePath $sitePath -PassThru -Confirm:$false |
            ForEach-Object Members | Should -Be 'Branch-01'
        Test-Path -LiteralPath (& $tree 'Branch-02') | Should -BeTrue
        Remove-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointGroupName Branches -Force -SitePath $sitePath
        Test-Path -LiteralPath (& $tree 'Branch-01') | Should -BeFalse
        (Get-OSUpgradeDistributionStatus -SitePath $sitePath).DistributionPoint | Should -Be 'Branch-02'
    }

    It 'changes nothing with -WhatIf and names what is wrong' {
        New-OSUpgradeDistributionPointGroup -Name Branches -SitePath $sitePath | Out-Null
        Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointGroupName Branches -SitePath $sitePath 3>$null | Out-Null
        Add-OSUpgradeDistributionPointToGroup Branches Branch-01 -SitePath $sitePath -WhatIf
        (Get-OSUpgradeDistributionPointGroup Branches -SitePath $sitePath).Members | Should -BeNullOrEmpty
        Remove-OSUpgradeDistributionPointGroup Branches -SitePath $sitePath -WhatIf
        Get-OSUpgradeDistributionPointGroup Branches -SitePath $sitePath | Should -Not -BeNullOrEmpty

        $failure = { Add-OSUpgradeDistributionPointToGroup Branches DP9 -SitePath $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.Exception.Message | Should -BeLike '*DP9*'
        $notMember = Get-WrittenError { Remove-OSUpgradeDistributionPointFromGroup Branches Lab -SitePath $sitePath -Confirm:$false }
        $notMember.Exception.Message | Should -BeLike "*Lab*Branches*"
    }

    It 'warns of an empty group, of a point that lost a package, and names a package the group does not carry' {
        New-OSUpgradeDistributionPointGroup -Name Branches -SitePath $sitePath | Out-Null
        $output = Start-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointGroupName Branches -SitePath $sitePath 3>&1
        "$output" | Should -BeLike '*has no points yet*'
        Add-OSUpgradeDistributionPointToGroup Branches Branch-01, Branch-02 -SitePath $sitePath | Out-Null
        Remove-OSUpgradeContentDistribution -PackageId $package.Id -DistributionPointName Branch-02 -Force -SitePath $sitePath
        $output = @(Test-OSUpgradeContent -DistributionPointGroupName Branches -SitePath $sitePath 3>&1)
        ($output | Where-Object { $_ -is [OSUpgrade.ValidationReport] }).DistributionPoint | Should -Be 'Branch-01'
        "$($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })" | Should -BeLike "*Branch-02*does not hold $($package.Id)*"
        $other = Add-OSUpgradePackage -SourcePath $otherSource -Name 'Other' -SitePath $sitePath
        $notCarried = Get-WrittenError { Test-OSUpgradeContent -PackageId $other.Id -DistributionPointGroupName Branches -SitePath $sitePath }
        $notCarried.Exception.Message | Should -BeLike "*$($other.Id)*is not distributed to distribution point group 'Branches'*"
    }

    It 'shows groups in a table that fits 120 columns, and completes group names' {
        New-OSUpgradeDistributionPointGroup -Name 'Branch-Office-Group-0017' -SitePath $sitePath | Out-Null
        Get-OSUpgradeDistributionPoint -SitePath $sitePath | Add-OSUpgradeDistributionPointToGroup 'Branch-Office-Group-0017' | Out-Null
        $table = Get-OSUpgradeDistributionPointGroup -SitePath $sitePath | Format-Table | Out-String -Width 120
        $table | Should -Match 'Branch-Office-Group-0017'
        $table -split "`n" | Where-Object { $_.Length -gt 120 } | Should -BeNullOrEmpty
        $line = "Get-OSUpgradeDistributionPointGroup -SitePath '$sitePath' -Name Branch-O"
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be 'Branch-Office-Group-0017'
        # A group without points, and a name that must be quoted to bind.
        New-OSUpgradeDistributionPointGroup -Name 'R&D (1)' -SitePath $sitePath | Out-Null
        $line = "Test-OSUpgradeContent -SitePath '$sitePath' -DistributionPointGroupName R"
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Be "'R&D (1)'"
    }
}
