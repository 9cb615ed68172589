BeforeDiscovery {
    $manifestPath = Join-Path -Path $PSScriptRoot -ChildPath '../OSUpgrade/OSUpgrade.psd1'
    $exported = (Import-PowerShellDataFile -Path $manifestPath).FunctionsToExport
}

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath TestHelpers.ps1)
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

    It 'gives every status of the library an error category, the one its error records carry' {
        $statuses = [System.Enum]::GetNames([OSUpgrade.OSUpgradeStatus])
        $categories = InModuleScope OSUpgrade { $script:OSUpgradeErrorCategory }
        @($categories.Keys | Sort-Object) | Should -Be @($statuses | Sort-Object)
        foreach ($status in $statuses) {
            [System.Management.Automation.ErrorCategory] $categories[$status] | Should -BeOfType ([System.Management.Automation.ErrorCategory])
        }
        $failure = [OSUpgrade.OSUpgradeException]::new([OSUpgrade.OSUpgradeStatus]::ServicingFailed, 'the engine failed')
        $record = InModuleScope OSUpgrade -Parameters @{ Exception = $failure } { param($Exception) New-OSUpgradeErrorRecord -Exception $Exception -TargetObject 'OSU00001' }
        $record.CategoryInfo.Category | Should -Be 'InvalidResult'
        $record.FullyQualifiedErrorId | Should -Be 'OSUpgradeServicingFailed'
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

    It 'takes its caller''s preference variables first thing: <_>' -ForEach $exported {
        # Without it, $WhatIfPreference = $true in an admin's function would not make a dry run.
        $body = (Get-Command -Name $_).ScriptBlock.Ast.Body
        $block = if ($body.BeginBlock) { $body.BeginBlock } else { $body.EndBlock }
        $block.Statements[0].Extent.Text | Should -Be 'Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet'
    }

    It 'is a package that Install-PSResource installs from a local repository, and that then imports and works' {
        $repo = Join-Path -Path $TestDrive -ChildPath 'repository'
        $modules = Join-Path -Path $TestDrive -ChildPath 'modules'
        # PSResourceGet keeps its repositories in one file per user: a test run beside this one
        # on the same machine would write it while this one reads it. This run gets its own.
        $dataHome = $env:XDG_DATA_HOME
        if (-not $IsWindows) {
            $env:XDG_DATA_HOME = Join-Path -Path $TestDrive -ChildPath 'data'
        }
        try {
            & (Join-Path -Path $repository -ChildPath 'scripts/publish-module.ps1') -ModulePath (Join-Path -Path $repository -ChildPath 'powershell/OSUpgrade') -RepositoryPath $repo -InstallTo $modules
        }
        finally {
            $env:XDG_DATA_HOME = $dataHome
        }
        # By name, not -Filter: wine's FindFirstFile does not match that pattern.
        Get-ChildItem -LiteralPath $repo -Name | Should -Be 'OSUpgrade.0.1.0.nupkg'
        $site = Join-Path -Path $TestDrive -ChildPath 'installed-site'
        $script = "Import-Module '$modules/OSUpgrade'; (New-OSUpgradeSite -Path '$site').SiteCode; (Get-Module OSUpgrade).ModuleBase"
        $shell = [Environment]::ProcessPath
        $output = if ($shell -like '*dotnet*') { & $shell (Join-Path -Path $PSHOME -ChildPath 'pwsh.dll') -NoProfile -Command $script } else { & $shell -NoProfile -Command $script }
        $output[0] | Should -Be 'OSU'
        $output[1] | Should -BeLike "$modules*"
    }

    # Windows PowerShell 5.1 cannot run here: what can be checked is that every assembly of the
    # netstandard2.0 set asks for a shipped one at a version the module's resolver may answer
    # (the same key, not newer than shipped; see ShippedAssemblies.cs).
    It 'ships, for Windows PowerShell 5.1, every assembly the netstandard2.0 set asks for, at least as new' {
        $bin = Join-Path -Path $repository -ChildPath 'powershell/OSUpgrade/bin/netstandard2.0'
        $shipped = @{}
        foreach ($file in Get-ChildItem -LiteralPath $bin -Name | Where-Object { $_ -like '*.dll' -and $_ -ne 'libosupgrade.dll' }) {
            $name = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $bin $file))
            $shipped[$name.Name] = $name
        }
        $shipped.Keys | Should -Contain 'System.Memory'
        $checked = 0
        foreach ($name in @($shipped.Values)) {
            $stream = [IO.File]::OpenRead((Join-Path $bin "$($name.Name).dll"))
            try {
                $metadata = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader([Reflection.PortableExecutable.PEReader]::new($stream))
                foreach ($handle in $metadata.AssemblyReferences) {
                    $reference = $metadata.GetAssemblyReference($handle)
                    $target = $shipped[$metadata.GetString($reference.Name)]
                    if ($null -eq $target) { continue }
                    $because = "$($name.Name) asks for $($target.Name) $($reference.Version)"
                    $reference.Version | Should -BeLessOrEqual $target.Version -Because $because
                    $token = $metadata.GetBlobBytes($reference.PublicKeyOrToken)
                    [Convert]::ToBase64String($token) | Should -Be ([Convert]::ToBase64String($target.GetPublicKeyToken())) -Because $because
                    $checked++
                }
            }
            finally {
                $stream.Dispose()
            }
        }
        $checked | Should -BeGreaterThan 10
    }

    It 'ships the about_OSUpgrade topic' {
        Get-Help -Name about_OSUpgrade | Out-String | Should -Match 'single-instance|content library'
    }
}
