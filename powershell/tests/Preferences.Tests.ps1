BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)

    # An admin's own module: its functions set preference variables and call the cmdlets, the way
    # a script module's caller does; the cmdlets must see them as a compiled cmdlet would.
    New-Module -Name AdminTools -ScriptBlock {
        function Invoke-AdminCommand {
            param(
                [string] $Command,
                [hashtable] $Parameters,
                [hashtable] $Preferences
            )
            foreach ($preference in $Preferences.GetEnumerator()) {
                Set-Variable -Name $preference.Key -Value $preference.Value
            }
            & $Command @Parameters
        }
    } | Import-Module -Force

    # What an admin can see of a site and its points; a dry run leaves all of it as it was.
    function Get-SiteSnapshot {
        param([string] $SitePath, [string] $PointsPath)
        $site = Get-OSUpgradeSite -SitePath $SitePath
        @(
            $site.PackageCount, $site.BlobCount, $site.RetainedContentVersions, "$($site.ServicingEngine)"
            Get-OSUpgradePackage -SitePath $SitePath | ForEach-Object { $_.Id, $_.Name, $_.Version, $_.Comment, $_.ContentVersion }
            Get-OSUpgradeDistributionPoint -SitePath $SitePath | ForEach-Object { $_.Name, $_.Path, $_.Description }
            Get-OSUpgradeDistributionPointGroup -SitePath $SitePath | ForEach-Object { $_.Name, $_.Description, ($_.Members -join ',') }
            Get-OSUpgradeDistributionStatus -SitePath $SitePath | ForEach-Object { $_.PackageId, $_.DistributionPoint, "$($_.State)", $_.InstalledContentVersion }
            Get-ChildItem -LiteralPath $PointsPath -Recurse -Force | ForEach-Object { $_.FullName }
        ) -join "`n"
    }

    # Paths of a test case are written with <site> and <points>, known only when the test runs.
    function Resolve-TestParameter {
        param([hashtable] $Parameters)
        $resolved = @{ SitePath = $sitePath }
        foreach ($parameter in $Parameters.GetEnumerator()) {
            $value = $parameter.Value
            if ($value -is [string]) {
                $value = $value.Replace('<points>', $pointsPath)
            }
            $resolved[$parameter.Key] = $value
        }
        $resolved
    }
}

Describe "Cmdlets called from another module's function follow that function's preferences" {
    BeforeAll {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site'
        $pointsPath = Join-Path -Path $TestDrive -ChildPath 'points'
        New-OSUpgradeSite -Path $sitePath | Out-Null
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -SitePath $sitePath | Out-Null
        Add-OSUpgradePackage -SourcePath $otherSource -Name 'Windows 11 23H2' -SitePath $sitePath | Out-Null
        Add-OSUpgradeDistributionPoint -Name DP1 -Path (Join-Path $pointsPath DP1) -SitePath $sitePath | Out-Null
        Add-OSUpgradeDistributionPoint -Name DP2 -Path (Join-Path $pointsPath DP2) -SitePath $sitePath | Out-Null
        New-OSUpgradeDistributionPointGroup -Name Branches -SitePath $sitePath | Out-Null
        Add-OSUpgradeDistributionPointToGroup -GroupName Branches -DistributionPointName DP1 -SitePath $sitePath | Out-Null
        Start-OSUpgradeContentDistribution -PackageId OSU00001 -DistributionPointName DP1 -SitePath $sitePath | Out-Null
    }

    It '$WhatIfPreference = $true: <Command> changes nothing' -ForEach @(
        @{ Command = 'Set-OSUpgradePackage'; Parameters = @{ Id = 'OSU00001'; NewName = 'Renamed'; Comment = 'Changed' } }
        @{ Command = 'Remove-OSUpgradePackage'; Parameters = @{ Id = 'OSU00002'; Confirm = $false } }
        @{ Command = 'Add-OSUpgradePackage'; Parameters = @{ SourcePath = '<source>'; Name = 'Dry' } }
        @{ Command = 'Set-OSUpgradeSite'; Parameters = @{ RetainedContentVersions = 9 } }
        @{ Command = 'Add-OSUpgradeDistributionPoint'; Parameters = @{ Name = 'DP3'; Path = '<points>/DP3' } }
        @{ Command = 'Set-OSUpgradeDistributionPoint'; Parameters = @{ Name = 'DP2'; Description = 'Changed' } }
        @{ Command = 'Remove-OSUpgradeDistributionPoint'; Parameters = @{ Name = 'DP2'; Confirm = $false } }
        @{ Command = 'New-OSUpgradeDistributionPointGroup'; Parameters = @{ Name = 'Dry' } }
        @{ Command = 'Set-OSUpgradeDistributionPointGroup'; Parameters = @{ Name = 'Branches'; Description = 'Changed' } }
        @{ Command = 'Add-OSUpgradeDistributionPointToGroup'; Parameters = @{ GroupName = 'Branches'; DistributionPointName = 'DP2' } }
        @{ Command = 'Remove-OSUpgradeDistributionPointFromGroup'; Parameters = @{ GroupName = 'Branches'; DistributionPointName = 'DP1'; Confirm = $false } }
        @{ Command = 'Remove-OSUpgradeDistributionPointGroup'; Parameters = @{ Name = 'Branches'; Confirm = $false } }
        @{ Command = 'Start-OSUpgradeContentDistribution'; Parameters = @{ PackageId = 'OSU00002'; DistributionPointName = 'DP2' } }
        @{ Command = 'Update-OSUpgradeDistributionPoint'; Parameters = @{ PackageId = 'OSU00001'; ReloadFromSource = $true } }
        @{ Command = 'Remove-OSUpgradeContentDistribution'; Parameters = @{ PackageId = 'OSU00001'; DistributionPointName = 'DP1'; Confirm = $false } }
        @{ Command = 'New-OSUpgradeSite'; Parameters = @{ Path = '<points>/other-site' } }
    ) {
        $before = Get-SiteSnapshot -SitePath $sitePath -PointsPath $pointsPath
        $parameters = Resolve-TestParameter -Parameters $Parameters
        if ($parameters['SourcePath']) { $parameters['SourcePath'] = $source }
        if ($Command -eq 'New-OSUpgradeSite') { $parameters.Remove('SitePath') }
        Invoke-AdminCommand -Command $Command -Parameters $parameters -Preferences @{ WhatIfPreference = $true } 6>&1 | Out-Null
        Get-SiteSnapshot -SitePath $sitePath -PointsPath $pointsPath | Should -Be $before
    }

    It '$ConfirmPreference = None: a High impact Remove asks nothing and removes' {
        Add-OSUpgradeDistributionPoint -Name Unused -Path (Join-Path $pointsPath Unused) -SitePath $sitePath | Out-Null
        Invoke-AdminCommand -Command Remove-OSUpgradeDistributionPoint -Parameters @{ Name = 'Unused'; SitePath = $sitePath } -Preferences @{ ConfirmPreference = 'None' }
        Get-OSUpgradeDistributionPoint -SitePath $sitePath | Where-Object Name -EQ 'Unused' | Should -BeNullOrEmpty
    }

    It '$ErrorActionPreference = Stop: a failing <Cmdlet> stops the function' -ForEach @(
        @{ Cmdlet = 'Get-OSUpgradePackage'; Parameters = @{ Id = 'OSU99999' } }
        @{ Cmdlet = 'Set-OSUpgradePackage'; Parameters = @{ Id = 'OSU99999'; Comment = 'x' } }
        @{ Cmdlet = 'Remove-OSUpgradePackage'; Parameters = @{ Id = 'OSU99999'; Confirm = $false } }
    ) {
        $parameters = Resolve-TestParameter -Parameters $Parameters
        { Invoke-AdminCommand -Command $Cmdlet -Parameters $parameters -Preferences @{ ErrorActionPreference = 'Stop' } } |
            Should -Throw -ExpectedMessage "*OSU99999*"
        $errors = Get-WrittenError { Invoke-AdminCommand -Command $Cmdlet -Parameters $parameters -Preferences @{ ErrorActionPreference = 'SilentlyContinue' } }
        $errors | Should -BeNullOrEmpty
    }

    It '$VerbosePreference = Continue shows the library log; -Verbose:$false on the cmdlet wins' {
        $parameters = @{ SourcePath = $source; Name = 'Verbose'; SitePath = $sitePath }
        $verbose = @(Invoke-AdminCommand -Command Add-OSUpgradePackage -Parameters $parameters -Preferences @{ VerbosePreference = 'Continue' } 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        @($verbose | Where-Object Message -Like 'package: added*').Count | Should -Be 1
        $parameters['Name'] = 'Quiet'
        $parameters['Verbose'] = $false
        $quiet = Invoke-AdminCommand -Command Add-OSUpgradePackage -Parameters $parameters -Preferences @{ VerbosePreference = 'Continue' } 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $quiet | Should -BeNullOrEmpty
    }

    It '$WarningPreference = SilentlyContinue hides a warning; Stop turns it into an error' {
        New-OSUpgradeDistributionPointGroup -Name Empty -SitePath $sitePath | Out-Null
        $parameters = @{ PackageId = 'OSU00001'; DistributionPointGroupName = 'Empty'; SitePath = $sitePath }
        $warnings = Invoke-AdminCommand -Command Start-OSUpgradeContentDistribution -Parameters $parameters -Preferences @{ WarningPreference = 'SilentlyContinue' } 3>&1 |
            Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        $warnings | Should -BeNullOrEmpty
        { Invoke-AdminCommand -Command Start-OSUpgradeContentDistribution -Parameters $parameters -Preferences @{ WarningPreference = 'Stop' } } |
            Should -Throw -ExpectedMessage '*has no points yet*'
    }
}

# Update files are made by a bash script: not under wine (Invoke-Tests.ps1 -ExcludeTag Posix).
Describe "Servicing cmdlets called from another module's function with `$WhatIfPreference = `$true" -Tag Posix {
    BeforeAll {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'servicing-site'
        $pointsPath = Join-Path -Path $TestDrive -ChildPath 'servicing-points'
        $updates = Join-Path -Path $TestDrive -ChildPath 'updates'
        $null = New-Item -ItemType Directory -Path $pointsPath, $updates -Force
        $makeUpdate = Join-Path -Path $repository -ChildPath 'tests/fixtures/make-update.sh'
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034441-x64_22bb.msu') KB5034441 19041.3930
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034000-x64_11aa.cab') KB5034000 19041.3920 --servicing-stack
        # Imported only by the dry run.
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5035001-x64_77aa.msu') KB5035001 19041.4046
        New-OSUpgradeSite -Path $sitePath | Out-Null
        Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -SitePath $sitePath | Out-Null
        Import-OSUpgradeUpdate -Path (Join-Path $updates 'windows10.0-kb5034441-x64_22bb.msu'), (Join-Path $updates 'windows10.0-kb5034000-x64_11aa.cab') -SitePath $sitePath | Out-Null
        Set-OSUpgradeSite -ServicingCommand (Join-Path -Path $repository -ChildPath 'tests/fixtures/test-engine.sh') -SitePath $sitePath
        New-OSUpgradeSchedule -PackageId OSU00001 -SoftwareUpdate KB5034441-x64 -Start '2030-01-01 22:00' -Utc -SitePath $sitePath | Out-Null

        function Get-ServicingSnapshot {
            @(
                Get-OSUpgradeUpdate -SitePath $sitePath | ForEach-Object { $_.Id }
                Get-OSUpgradeSchedule -SitePath $sitePath | ForEach-Object { $_.Id, $_.NextRunAt, ($_.UpdateIds -join ','), $_.ContinueOnError }
                Get-OSUpgradeServicingRun -SitePath $sitePath | ForEach-Object { $_.Id }
                Get-ChildItem -LiteralPath $pointsPath -Recurse -Force | ForEach-Object { $_.FullName }
            ) -join "`n"
        }
    }

    It '<Command> changes nothing' -ForEach @(
        @{ Command = 'Import-OSUpgradeUpdate'; Parameters = @{ Path = '<updates>' } }
        @{ Command = 'Remove-OSUpgradeUpdate'; Parameters = @{ Id = 'KB5034000-x64'; Confirm = $false } }
        @{ Command = 'New-OSUpgradeSchedule'; Parameters = @{ PackageId = 'OSU00001'; SoftwareUpdate = 'KB5034441-x64' } }
        @{ Command = 'Set-OSUpgradeSchedule'; Parameters = @{ Id = 1; ContinueOnError = $false } }
        @{ Command = 'Invoke-OSUpgradeSchedule'; Parameters = @{ Id = 1 } }
        @{ Command = 'Remove-OSUpgradeSchedule'; Parameters = @{ Id = 1; Confirm = $false } }
        @{ Command = 'Register-OSUpgradeServicingRunner'; Parameters = @{ Scheduler = 'Cron'; Destination = '<points>/cron' } }
    ) {
        $before = Get-ServicingSnapshot
        $parameters = Resolve-TestParameter -Parameters $Parameters
        if ($parameters['Path']) { $parameters['Path'] = $updates }
        Invoke-AdminCommand -Command $Command -Parameters $parameters -Preferences @{ WhatIfPreference = $true } 6>&1 | Out-Null
        Get-ServicingSnapshot | Should -Be $before
    }
}

Describe 'A path that is not in the file system' {
    # As an admin's script meets it: no try, no -ErrorAction; the script goes on after the error.
    It '<Path> is one error naming it, and no site is opened or created' -ForEach @(
        @{ Path = 'Q:\Sites\Lab'; Category = 'ObjectNotFound' }
        @{ Path = 'Env:\OSUpgrade'; Category = 'InvalidArgument' }
        @{ Path = 'Function:\Lab'; Category = 'InvalidArgument' }
    ) {
        $default = Join-Path -Path $TestDrive -ChildPath ('default-' + [guid]::NewGuid().ToString('N'))
        $script = @(
            'Get-OSUpgradePackage -SitePath $args[0]'
            'Set-OSUpgradeSite -RetainedContentVersions 3 -SitePath $args[0]'
            'New-OSUpgradeSite -Path $args[0]'
            'Add-OSUpgradePackage -SourcePath $args[0] -Name Typo -SitePath $args[1]'
            "'went on'"
        ) -join "`n"
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript("`$env:OSUPGRADE_SITE = '$default'; Import-Module '$(Join-Path $repository 'powershell/OSUpgrade')'").Invoke()
            $shell.Commands.Clear()
            $output = $shell.AddScript($script).AddArgument($Path).AddArgument($default).Invoke()
            $output | Should -Be 'went on'
            $errors = @($shell.Streams.Error)
            $errors.Count | Should -Be 4
            $errors.CategoryInfo.Category | Should -Be @($Category, $Category, $Category, $Category)
            $errors[0].Exception.Message | Should -BeLike "-SitePath '$Path' is not a path in the file system: *"
            $errors[1].Exception.Message | Should -BeLike "-SitePath '$Path' is not a path in the file system: *"
            $errors[2].Exception.Message | Should -BeLike "-Path '$Path' is not a path in the file system: *"
            $errors[3].Exception.Message | Should -BeLike "-SourcePath '$Path' is not a path in the file system: *"
            "$errors" | Should -Not -BeLike '*GetUnresolvedProviderPathFromPSPath*'
            Test-Path -LiteralPath $default | Should -BeFalse
        }
        finally {
            $shell.Dispose()
        }
    }
}
