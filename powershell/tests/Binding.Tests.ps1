BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)
}

Describe 'Pipelines and parameters bind as an admin writes them' {
    BeforeAll {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site'
        $pointsPath = Join-Path -Path $TestDrive -ChildPath 'points'
    }

    It 'a site piped into Get-OSUpgradePackage lists its packages (none yet, no error)' {
        $errors = Get-WrittenError { New-OSUpgradeSite -Path $sitePath | Get-OSUpgradePackage }
        $errors | Should -BeNullOrEmpty
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -SitePath $sitePath | Out-Null
        (Get-OSUpgradeSite -SitePath $sitePath | Get-OSUpgradePackage).Id | Should -Be 'OSU00001'
        ('OSU00001' | Get-OSUpgradePackage -SitePath $sitePath).Name | Should -Be 'Windows 10 22H2'
    }

    It 'a folder from Get-Item is added as the source' {
        $added = Get-Item -LiteralPath $otherSource | Add-OSUpgradePackage -Name 'Windows 11 23H2' -SitePath $sitePath
        $added.Id | Should -Be 'OSU00002'
        $added.SourcePath | Should -Be (Get-Item -LiteralPath $otherSource).FullName
    }

    It 'package IDs are taken as arrays: Get-OSUpgradeDistributionStatus, Update- and Remove-' {
        Add-OSUpgradeDistributionPoint -Name DP1 -Path (Join-Path $pointsPath DP1) -SitePath $sitePath | Out-Null
        Start-OSUpgradeContentDistribution -PackageId OSU00001, OSU00002 -DistributionPointName DP1 -SitePath $sitePath | Out-Null
        (Get-OSUpgradeDistributionStatus -PackageId OSU00001, OSU00002 -SitePath $sitePath).PackageId | Should -Be @('OSU00001', 'OSU00002')
        (Update-OSUpgradeDistributionPoint -PackageId OSU00001, OSU00002 -SitePath $sitePath).PackageId | Should -Be @('OSU00001', 'OSU00002')
        Remove-OSUpgradeContentDistribution -PackageId OSU00001, OSU00002 -DistributionPointName DP1 -Force -Confirm:$false -SitePath $sitePath
        Get-OSUpgradeDistributionStatus -SitePath $sitePath | Should -BeNullOrEmpty
        Remove-OSUpgradePackage -Id OSU00001, OSU00002 -Confirm:$false -SitePath $sitePath
        Get-OSUpgradePackage -SitePath $sitePath | Should -BeNullOrEmpty
    }

    It 'records given with -InputObject, or piped, are changed and removed in their own site' {
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -SitePath $sitePath | Out-Null
        $package = Get-OSUpgradePackage -SitePath $sitePath
        # From another location: the record knows its site.
        Push-Location -Path $TestDrive
        try {
            (Set-OSUpgradePackage -InputObject $package -Comment 'given' -PassThru).Comment | Should -Be 'given'
            (Get-OSUpgradeDistributionPoint -SitePath $sitePath | Set-OSUpgradeDistributionPoint -Description 'piped' -PassThru).Description | Should -Be 'piped'
            New-OSUpgradeDistributionPointGroup -Name Branches -SitePath $sitePath | Out-Null
            $group = Get-OSUpgradeDistributionPointGroup -SitePath $sitePath
            (Set-OSUpgradeDistributionPointGroup -InputObject $group -Description 'given' -PassThru).Description | Should -Be 'given'
            Remove-OSUpgradeDistributionPointGroup -InputObject $group -Confirm:$false
            Get-OSUpgradeDistributionPointGroup -SitePath $sitePath | Should -BeNullOrEmpty
            Get-OSUpgradeDistributionPoint -SitePath $sitePath | Remove-OSUpgradeDistributionPoint -Force -Confirm:$false
            Get-OSUpgradeDistributionPoint -SitePath $sitePath | Should -BeNullOrEmpty
            Remove-OSUpgradePackage -InputObject $package -Confirm:$false
            Get-OSUpgradePackage -SitePath $sitePath | Should -BeNullOrEmpty
        }
        finally {
            Pop-Location
        }
    }

    It 'every Remove- cmdlet asks first (ConfirmImpact High), as ConfigMgr''s do' {
        foreach ($command in Get-Command -Module OSUpgrade -Verb Remove) {
            $impact = [System.Management.Automation.CommandMetadata]::new($command).ConfirmImpact
            "$($command.Name) $impact" | Should -Be "$($command.Name) High"
        }
    }

    It 'Get-OSUpgradeLog completes and checks -Component' {
        $line = "Get-OSUpgradeLog -Component di"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'distribution'
        $failure = { Get-OSUpgradeLog -Component 'distrbution' -SitePath $sitePath } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.Exception.Message | Should -BeLike "*'distrbution'*package, distribution, updates, servicing*"
        Get-OSUpgradeLog -Component 'dist*', 'package' -SitePath $sitePath | Should -Not -BeNullOrEmpty
    }
}

Describe 'Update IDs complete where an update is asked for' -Tag Posix {
    It '-SoftwareUpdate and -Id complete the catalog''s update IDs' {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'updates-site'
        $updates = Join-Path -Path $TestDrive -ChildPath 'updates'
        $null = New-Item -ItemType Directory -Path $updates -Force
        $makeUpdate = Join-Path -Path $repository -ChildPath 'tests/fixtures/make-update.sh'
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034441-x64_22bb.msu') KB5034441 19041.3930
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034000-x64_11aa.cab') KB5034000 19041.3920 --servicing-stack
        New-OSUpgradeSite -Path $sitePath | Out-Null
        Import-OSUpgradeUpdate -Path $updates -SitePath $sitePath | Out-Null
        foreach ($line in "New-OSUpgradeSchedule -SitePath '$sitePath' -SoftwareUpdate KB503", "Remove-OSUpgradeUpdate -SitePath '$sitePath' -Id KB503") {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('KB5034000-x64', 'KB5034441-x64')
        }
    }
}
