BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)
}

Describe 'One error per failure, of the kind asked for' {
    BeforeAll {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site'
        $pointsPath = Join-Path -Path $TestDrive -ChildPath 'points'
        New-OSUpgradeSite -Path $sitePath | Out-Null
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -SitePath $sitePath | Out-Null
        Add-OSUpgradeDistributionPoint -Name DP1 -Path (Join-Path $pointsPath DP1) -SitePath $sitePath | Out-Null
        New-OSUpgradeDistributionPointGroup -Name Branches -SitePath $sitePath | Out-Null
        $junk = Join-Path -Path $TestDrive -ChildPath 'windows10.0-kb5099001-x64_1.msu'
        Set-Content -LiteralPath $junk -Value '<html>404 Not Found</html>'
        $missing = Join-Path -Path $TestDrive -ChildPath 'no-such-source'
    }

    It '<Cmdlet> failing: one record (<Category>, with its target) in $Error and -ErrorVariable; SilentlyContinue shows nothing; Stop throws it' -ForEach @(
        @{ Cmdlet = 'Add-OSUpgradePackage'; Parameters = @{ SourcePath = '<missing>'; Name = 'Missing' }; Category = 'ObjectNotFound' }
        @{ Cmdlet = 'Add-OSUpgradePackage'; Parameters = @{ SourcePath = '<source>'; Name = 'windows 10 22h2' }; Category = 'ResourceExists' }
        @{ Cmdlet = 'Start-OSUpgradeContentDistribution'; Parameters = @{ PackageId = 'OSU00001'; DistributionPointName = 'DP9' }; Category = 'ObjectNotFound'; Target = 'OSU00001 to DP9' }
        @{ Cmdlet = 'Add-OSUpgradeDistributionPoint'; Parameters = @{ Name = 'dp1'; Path = '<points>/again' }; Category = 'ResourceExists' }
        @{ Cmdlet = 'New-OSUpgradeDistributionPointGroup'; Parameters = @{ Name = 'BRANCHES' }; Category = 'ResourceExists' }
        @{ Cmdlet = 'Add-OSUpgradeDistributionPointToGroup'; Parameters = @{ GroupName = 'Branches'; DistributionPointName = 'DP9' }; Category = 'ObjectNotFound' }
        @{ Cmdlet = 'Import-OSUpgradeUpdate'; Parameters = @{ Path = '<junk>' }; Category = 'InvalidArgument' }
        @{ Cmdlet = 'Set-OSUpgradeSite'; Parameters = @{ ServicingMaxRunTime = [TimeSpan]::Zero }; Category = 'InvalidArgument' }
        @{ Cmdlet = 'New-OSUpgradeSite'; Parameters = @{ Path = '<site>' }; Category = 'ResourceExists' }
        @{ Cmdlet = 'Get-OSUpgradePackage'; Parameters = @{ Id = 'OSU99999' }; Category = 'ObjectNotFound' }
        @{ Cmdlet = 'Set-OSUpgradePackage'; Parameters = @{ Id = 'OSU99999'; Comment = 'x' }; Category = 'ObjectNotFound' }
        @{ Cmdlet = 'Remove-OSUpgradePackage'; Parameters = @{ Id = 'OSU99999'; Confirm = $false }; Category = 'ObjectNotFound' }
        @{ Cmdlet = 'Get-OSUpgradeDistributionStatus'; Parameters = @{ PackageId = 'OSU99999' }; Category = 'ObjectNotFound' }
        @{ Cmdlet = 'Test-OSUpgradeContent'; Parameters = @{ PackageId = 'OSU00001'; DistributionPointName = 'DP9' }; Category = 'ObjectNotFound'; Target = 'OSU00001 on DP9' }
        @{ Cmdlet = 'Test-OSUpgradeContent'; Parameters = @{ DistributionPointGroupName = 'Nowhere' }; Category = 'ObjectNotFound' }
        @{ Cmdlet = 'Invoke-OSUpgradeSchedule'; Parameters = @{ Id = 999 }; Category = 'ObjectNotFound' }
    ) {
        $resolved = @{ SitePath = $sitePath }
        foreach ($parameter in $Parameters.GetEnumerator()) {
            $resolved[$parameter.Key] = switch ($parameter.Value) {
                '<missing>' { $missing; break }
                '<source>' { $source; break }
                '<junk>' { $junk; break }
                '<site>' { $sitePath; break }
                { $_ -is [string] } { $_ -replace '<points>', $pointsPath; break }
                default { $_ }
            }
        }
        if ($Cmdlet -eq 'New-OSUpgradeSite') { $resolved.Remove('SitePath') }

        $Error.Clear()
        $shown = @(& $Cmdlet @resolved -ErrorAction SilentlyContinue -ErrorVariable failures 2>&1)
        $shown | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $Error.Count | Should -Be 1
        $failure = $failures[0]
        $failure.CategoryInfo.Category | Should -Be $Category
        $failure.FullyQualifiedErrorId | Should -BeLike "OSUpgrade*,$Cmdlet"
        $failure.TargetObject | Should -Not -BeNullOrEmpty
        if (Test-Path -Path variable:Target) { $failure.TargetObject | Should -Be $Target }
        $failure.Exception | Should -Not -BeOfType ([System.Management.Automation.MethodInvocationException])

        $Error.Clear()
        $thrown = { & $Cmdlet @resolved -ErrorAction Stop } | Should -Throw -ErrorId "OSUpgrade*,$Cmdlet" -PassThru
        $Error.Count | Should -Be 1
        if (Test-Path -Path variable:Target) { $thrown.TargetObject | Should -Be $Target }
    }
}
