BeforeDiscovery {
    $repository = (Resolve-Path -Path (Join-Path -Path $PSScriptRoot -ChildPath '../..')).Path
    Import-Module -Name (Join-Path -Path $repository -ChildPath 'powershell/OSUpgrade') -Force
    # What cannot run against a test site, and why.
    $cannotRun = @{
        'Register-OSUpgradeServicingRunner#1' = 'registers with the machine''s own scheduler (Servicing.Tests.ps1 tests it with -Destination)'
        'Register-OSUpgradeServicingRunner#2' = 'registers with the machine''s own scheduler (Servicing.Tests.ps1 tests it with -Destination)'
    }
    $examples = foreach ($command in Get-Command -Module OSUpgrade | Sort-Object -Property Name) {
        $number = 0
        foreach ($example in (Get-Help -Name $command.Name -Examples).examples.example) {
            $number++
            $name = "$($command.Name)#$number"
            if (-not $cannotRun.ContainsKey($name)) {
                @{ Name = $name; Code = $example.code }
            }
        }
    }
}

Describe 'Every help example runs against a test site' -Tag Posix {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)

        # The lab every example runs in, as its help assumes it: three packages, points and groups by
        # the names the examples use, four schedules, the updates they name, the test engine.
        $lab = Join-Path -Path $TestDrive -ChildPath 'lab'
        $template = Join-Path -Path $TestDrive -ChildPath 'lab-template'
        $sources = Join-Path -Path $lab -ChildPath 'sources'
        $updates = Join-Path -Path $lab -ChildPath 'updates'
        $sitePath = Join-Path -Path $lab -ChildPath 'site'
        $null = New-Item -ItemType Directory -Path $sources, $updates -Force
        Copy-Item -LiteralPath $source -Destination (Join-Path $sources 'Win10_22H2') -Recurse
        Copy-Item -LiteralPath $otherSource -Destination (Join-Path $sources 'Win11_23H2') -Recurse
        Copy-Item -LiteralPath $otherSource -Destination (Join-Path $sources 'Win11_24H2') -Recurse
        $makeUpdate = Join-Path -Path $repository -ChildPath 'tests/fixtures/make-update.sh'
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034441-x64_22bb.msu') KB5034441 19041.3930
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034000-x64_11aa.cab') KB5034000 19041.3920 --servicing-stack
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5032189-x64_33cc.msu') KB5032189 19041.3693
        & bash $makeUpdate (Join-Path $updates 'windows10.0-kb5034232-x64_88bb.cab') KB5034232 19041.3920
        Set-Content -LiteralPath (Join-Path $updates 'catalog.json') -Value (@{ updates = @(
                    @{ fileName = 'windows10.0-kb5034232-x64_88bb.cab'; classification = 'SafeOs'; builds = @(19045); title = 'Safe OS Dynamic Update' }
                ) } | ConvertTo-Json -Depth 4)
        New-OSUpgradeSite -Path $sitePath | Out-Null
        Add-OSUpgradePackage -SourcePath (Join-Path $sources 'Win10_22H2') -Name 'Windows 10 22H2' -SitePath $sitePath | Out-Null
        Add-OSUpgradePackage -SourcePath (Join-Path $sources 'Win11_23H2') -Name 'Windows 11 23H2' -SitePath $sitePath | Out-Null
        Add-OSUpgradePackage -SourcePath (Join-Path $sources 'Win11_23H2') -Name 'Win11 Insider' -SitePath $sitePath | Out-Null
        foreach ($point in 'DP1', 'DP2', 'Lab', 'Branch-01', 'Branch-02', 'Old-01') {
            Add-OSUpgradeDistributionPoint -Name $point -Path (Join-Path $lab "points/$point") -SitePath $sitePath | Out-Null
        }
        foreach ($group in @{ Name = 'Branches'; Members = 'DP1', 'DP2', 'Old-01' }, @{ Name = 'Lab'; Members = 'Lab' }, @{ Name = 'Old-Branches'; Members = 'Old-01' }) {
            New-OSUpgradeDistributionPointGroup -Name $group.Name -SitePath $sitePath | Out-Null
            Add-OSUpgradeDistributionPointToGroup -GroupName $group.Name -DistributionPointName $group.Members -SitePath $sitePath | Out-Null
        }
        Start-OSUpgradeContentDistribution -PackageId OSU00001 -DistributionPointName DP1, Lab -SitePath $sitePath | Out-Null
        Import-OSUpgradeUpdate -Path $updates -CatalogPath (Join-Path $updates 'catalog.json') -SitePath $sitePath | Out-Null
        Set-OSUpgradeSite -ServicingCommand (Join-Path -Path $repository -ChildPath 'tests/fixtures/test-engine.sh') -SitePath $sitePath
        foreach ($schedule in 1..4) {
            New-OSUpgradeSchedule -PackageId OSU00001 -SoftwareUpdate KB5034441-x64 -Start '2030-01-01 22:00' -SitePath $sitePath | Out-Null
        }
        Copy-Item -LiteralPath $lab -Destination $template -Recurse

        # What an example needs that the lab does not have, or has in its way.
        $prepare = @{
            'Add-OSUpgradeDistributionPoint#1'      = { Remove-OSUpgradeDistributionPoint -Name DP1 -Force -Confirm:$false }
            'Add-OSUpgradeDistributionPoint#2'      = { Remove-OSUpgradeDistributionPoint -Name Lab -Force -Confirm:$false }
            'New-OSUpgradeDistributionPointGroup#1' = { Remove-OSUpgradeDistributionPointGroup -Name Branches -Confirm:$false }
            'New-OSUpgradeDistributionPointGroup#2' = { Remove-OSUpgradeDistributionPointGroup -Name Branches -Confirm:$false }
            'Remove-OSUpgradeContentDistribution#3' = { Start-OSUpgradeContentDistribution -PackageId OSU00001 -DistributionPointGroupName Branches | Out-Null }
        }

        # The paths of the examples, as they are in the lab.
        $places = [ordered]@{
            '\\fs01\OSContent'                         = Join-Path $lab 'points/fs01-OSContent'
            '\\fs01\OSSources'                         = $sources
            '/srv/osupgrade/lab'                       = Join-Path $lab 'points/srv-lab'
            'D:\Sources\Win11_24H2'                    = Join-Path $sources 'Win11_24H2'
            'D:\Updates\2024-01\catalog.json'          = Join-Path $updates 'catalog.json'
            'D:\Updates\2024-01'                       = $updates
            'D:\Updates'                               = $updates
            '/opt/servicing/engine.sh'                 = Join-Path -Path $repository -ChildPath 'tests/fixtures/test-engine.sh'
        }
    }

    BeforeEach {
        if (Test-Path -LiteralPath $lab) {
            Remove-Item -LiteralPath $lab -Recurse -Force
        }
        Copy-Item -LiteralPath $template -Destination $lab -Recurse
        $defaultSite = $env:OSUPGRADE_SITE
        $env:OSUPGRADE_SITE = $sitePath
        Push-Location -LiteralPath $sources
    }

    AfterEach {
        Pop-Location
        $env:OSUPGRADE_SITE = $defaultSite
    }

    It '<Name>' -ForEach $examples {
        $text = $Code
        foreach ($place in $places.GetEnumerator()) {
            $text = $text.Replace($place.Key, $place.Value)
        }
        # A site the example makes is a new one beside the lab's; one it names is the lab's.
        $text = if ($Name -like 'New-OSUpgradeSite#*') { $text.Replace('D:\Sites\Lab', (Join-Path $lab 'new-site')) } else { $text.Replace('D:\Sites\Lab', $sitePath) }
        $ConfirmPreference = 'None'
        if ($prepare.ContainsKey($Name)) {
            & $prepare[$Name]
        }
        $output = @(& ([scriptblock]::Create($text)) 2>&1 6>&1)
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty -Because $text
    }
}
