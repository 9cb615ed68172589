<#
.SYNOPSIS
    Runs the module's Pester tests with the Pester that TestTools.csproj restored.
.PARAMETER ExcludeTag
    Tags of tests to leave out: Posix under wine, for tests that need bash, systemd or cron.
.DESCRIPTION
    Prints a closing line 'pester: N passed, N failed' and exits non-zero when a test failed.
#>
[CmdletBinding()]
param(
    [string[]] $ExcludeTag = @()
)
Set-StrictMode -Version Latest
# Not $ErrorActionPreference = 'Stop': the module's cmdlets would read it and turn their
# non-terminating errors, which the tests check, into terminating ones.

$packages = $env:NUGET_PACKAGES
if (-not $packages) {
    $packages = Join-Path -Path ([Environment]::GetFolderPath('UserProfile')) -ChildPath '.nuget/packages'
}
$pester = Join-Path -Path $packages -ChildPath 'pester/5.7.1/tools/Pester.psd1'
if (-not (Test-Path -LiteralPath $pester)) {
    throw "Pester 5.7.1 is missing at ${pester}: dotnet restore powershell/tests/TestTools.csproj"
}
Import-Module -Name $pester -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Filter.ExcludeTag = $ExcludeTag
$result = Invoke-Pester -Configuration $configuration
"pester: $($result.PassedCount) passed, $($result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount) failed"
if ($result.Result -ne 'Passed') {
    exit 1
}
