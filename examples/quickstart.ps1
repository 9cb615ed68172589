<#
.SYNOPSIS
    OSUpgrade from PowerShell, its three jobs end to end on the embedded default site: adds a
    Windows setup source as an upgrade package, distributes it to a sample distribution point,
    imports software updates, schedules the applicable ones, runs the due schedule (which services
    the image, records content version 2 and updates the point), validates the point, and shows the
    applied updates and the run history.
.PARAMETER SourcePath
    A Windows setup source folder (setup.exe, sources\install.wim).
.PARAMETER UpdatePath
    A folder of update files (.msu, .cab).
.PARAMETER CatalogPath
    The JSON catalog file that describes them.
.PARAMETER TestEngine
    The test servicing engine (tests/fixtures/test-engine.sh), used for this run only where the
    site's own engine is not available here (DISM exists only on Windows). It changes the image
    with wimlib the way an update shows there; it does not install updates as Windows does.
.EXAMPLE
    ./examples/quickstart.ps1 -SourcePath ~/Win10 -UpdatePath ~/Updates -CatalogPath ~/Updates/catalog.json -TestEngine ./tests/fixtures/test-engine.sh
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $SourcePath,

    [Parameter(Mandatory)]
    [string] $UpdatePath,

    [Parameter(Mandatory)]
    [string] $CatalogPath,

    [Parameter(Mandatory)]
    [string] $TestEngine
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../powershell/OSUpgrade') -Force

Write-Host '== 1. Add an upgrade package' -ForegroundColor Cyan
$package = Add-OSUpgradePackage -SourcePath $SourcePath -Name 'Windows 10 22H2 x64 (sample)' `
    -Version (Get-Date -Format 'yyyyMMdd.HHmmss') -Comment 'Added by examples/quickstart.ps1'
$package | Format-List -Property Id, Name, Version, ContentVersion, FileCount, Size, CreatedAt
$package.Images | Format-Table

Write-Host '== 2. Distribute it' -ForegroundColor Cyan
$site = Get-OSUpgradeSite
if (-not (Get-OSUpgradeDistributionPoint -Name 'SampleDP' -ErrorAction SilentlyContinue)) {
    $pointPath = Join-Path -Path (Split-Path -Path $site.DatabasePath -Parent) -ChildPath 'sample-dp'
    Add-OSUpgradeDistributionPoint -Name 'SampleDP' -Path $pointPath -Description 'Made by examples/quickstart.ps1' | Out-Null
}
$package | Start-OSUpgradeContentDistribution -DistributionPointName 'SampleDP' | Format-Table

Write-Host '== 3. Import software updates; what the image holds, what applies' -ForegroundColor Cyan
Import-OSUpgradeUpdate -Path $UpdatePath -CatalogPath $CatalogPath | Format-Table
Get-OSUpgradeAppliedUpdate -PackageId $package.Id | Format-Table
$applicable = Get-OSUpgradeApplicableUpdate -PackageId $package.Id
$applicable | Format-Table

Write-Host '== 4. Schedule them (once, now) and run the due schedules, as the runner does' -ForegroundColor Cyan
$schedule = $applicable | New-OSUpgradeSchedule -ContinueOnError $true -UpdateDistributionPoint $true
$schedule | Format-Table
$engine = [OSUpgrade.Site]::Open($site.DatabasePath)
$before = $engine.GetServicingEngine()
try {
    if (-not $before.Available) {
        Write-Host "The site's $($before.Engine) engine is not available here ($($before.Reason))."
        Write-Host "This demo services with the TEST engine, $TestEngine, which changes the image with wimlib."
        Set-OSUpgradeSite -ServicingEngine Command -ServicingCommand $TestEngine
    }
    $runs = Invoke-OSUpgradeSchedule -Due
}
finally {
    $engine.SetServicingEngine($before.Engine, $before.CommandPath)
    $engine.Dispose()
}
$runs | Format-Table
$runs | Select-Object -ExpandProperty Results | Format-Table

Write-Host '== 5. The point holds the serviced version and validates clean; the history' -ForegroundColor Cyan
Get-OSUpgradePackage -Id $package.Id | Format-List -Property Id, Name, ContentVersion, ModifiedAt
(Get-OSUpgradePackage -Id $package.Id).Images | Format-Table
Get-OSUpgradeDistributionStatus -PackageId $package.Id | Format-Table
Test-OSUpgradeContent -PackageId $package.Id -DistributionPointName 'SampleDP' | Format-Table
Get-OSUpgradeAppliedUpdate -PackageId $package.Id | Format-Table
Get-OSUpgradeServicingRun -PackageId $package.Id | Format-Table
Get-OSUpgradeSite
