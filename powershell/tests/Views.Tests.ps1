BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)

    # The table of one record as a 120-column console shows it: no line wider, and every word of
    # its values (that fits its column at all) whole on one line.
    function Assert-FitsWithWholeWords {
        param([object[]] $InputObject, [string[]] $Text, [int] $LongestWord)
        $table = $InputObject | Format-Table | Out-String -Width 120
        $lines = $table -split "`r?`n"
        @($lines | Where-Object { $_.Length -gt 120 }) | Should -BeNullOrEmpty
        $words = @($Text -split '\s+' | Where-Object { $_ -and $_.Length -le $LongestWord } | Select-Object -Unique)
        $words.Count | Should -BeGreaterThan 0
        foreach ($word in $words) {
            @($lines | Where-Object { $_.Contains($word) }).Count | Should -BeGreaterThan 0 -Because "'$word' should stand whole in:`n$table"
        }
    }
}

Describe 'Views fit 120 columns without cutting words' {
    BeforeAll {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site'
        New-OSUpgradeSite -Path $sitePath | Out-Null
        $comment = 'Serviced with the 2023-12 cumulative update and the servicing stack of that month'
        $package = Add-OSUpgradePackage -SourcePath $source -Name 'Windows 10 22H2' -Version 19045.3803 -Comment $comment -SitePath $sitePath
        Add-OSUpgradeDistributionPoint -Name 'Branch-Office-Amsterdam' -Path (Join-Path $TestDrive 'points/ams') -Description 'Amsterdam branch office, second floor server room' -SitePath $sitePath | Out-Null
        New-OSUpgradeDistributionPointGroup -Name Branches -Description 'Every branch office of the Benelux region' -SitePath $sitePath | Out-Null
        Add-OSUpgradeDistributionPointToGroup -GroupName Branches -DistributionPointName 'Branch-Office-Amsterdam' -SitePath $sitePath | Out-Null
    }

    It 'packages: editions and comment' {
        $editions = $package.Images | ForEach-Object EditionId
        Assert-FitsWithWholeWords -InputObject $package -Text (@($comment) + $editions) -LongestWord 15
    }

    It 'groups: members and description' {
        $group = Get-OSUpgradeDistributionPointGroup -SitePath $sitePath
        Assert-FitsWithWholeWords -InputObject $group -Text ($group.Description, ($group.Members -join ' ')) -LongestWord 25
    }

    It 'the log: a long message' {
        $entry = Get-OSUpgradeLog -SitePath $sitePath | Sort-Object -Property { $_.Message.Length } -Descending | Select-Object -First 1
        $entry.Message.Length | Should -BeGreaterThan 71
        Assert-FitsWithWholeWords -InputObject $entry -Text $entry.Message -LongestWord 71
    }
}
