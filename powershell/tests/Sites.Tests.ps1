BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)
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
        $failure = { New-OSUpgradeSite -Path $sitePath -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
    }

    It 'refuses a bad site code with InvalidArgument and leaves no site to be opened later' {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site-badcode'
        $failure = { New-OSUpgradeSite -Path $sitePath -SiteCode TOOLONG -ErrorAction Stop } | Should -Throw -PassThru
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Test-Path -LiteralPath (Join-Path -Path $sitePath -ChildPath 'site.db') | Should -BeFalse
        (New-OSUpgradeSite -Path $sitePath -SiteCode LAB).SiteCode | Should -Be 'LAB'
    }

    It 'sets the retained content versions of a site, from the pipeline too' {
        $sitePath = Join-Path -Path $TestDrive -ChildPath 'site-retained'
        New-OSUpgradeSite -Path $sitePath | Out-Null
        (Get-OSUpgradeSite -SitePath $sitePath).RetainedContentVersions | Should -Be 1
        $info = Get-OSUpgradeSite -SitePath $sitePath | Set-OSUpgradeSite -RetainedContentVersions 3 -PassThru
        $info.RetainedContentVersions | Should -Be 3
        Set-OSUpgradeSite -RetainedContentVersions 0 -SitePath $sitePath -WhatIf
        (Get-OSUpgradeSite -SitePath $sitePath).RetainedContentVersions | Should -Be 3
        { Set-OSUpgradeSite -RetainedContentVersions 101 -SitePath $sitePath -ErrorAction Stop } | Should -Throw
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
