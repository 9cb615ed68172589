<#
.SYNOPSIS
    OSUpgrade from PowerShell: adds a Windows setup source as an upgrade package to the embedded
    default site, distributes it to a sample distribution point beside the site, validates it
    there, and shows the package, its images, its distribution and the site.
.PARAMETER SourcePath
    A Windows setup source folder (setup.exe, sources\install.wim or install.esd).
.EXAMPLE
    ./examples/quickstart.ps1 -SourcePath D:\Sources\Win11_24H2
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $SourcePath
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../powershell/OSUpgrade') -Force

$package = Add-OSUpgradePackage -SourcePath $SourcePath -Name 'Windows 10 22H2 x64 (sample)' `
    -Version (Get-Date -Format 'yyyyMMdd.HHmmss') -Comment 'Added by examples/quickstart.ps1'
$package | Format-List -Property Id, Name, Version, Comment, SourcePath, FileCount, Size, CreatedAt
$package.Images | Format-Table
Get-OSUpgradePackage | Format-Table

$site = Get-OSUpgradeSite
if (-not (Get-OSUpgradeDistributionPoint -Name 'SampleDP' -ErrorAction SilentlyContinue)) {
    $pointPath = Join-Path -Path (Split-Path -Path $site.DatabasePath -Parent) -ChildPath 'sample-dp'
    Add-OSUpgradeDistributionPoint -Name 'SampleDP' -Path $pointPath -Description 'Made by examples/quickstart.ps1' | Out-Null
}
$package | Start-OSUpgradeContentDistribution -DistributionPointName 'SampleDP' | Format-Table
Test-OSUpgradeContent -PackageId $package.Id -DistributionPointName 'SampleDP' | Format-Table
Get-OSUpgradeDistributionStatus -Summary | Format-Table
Get-OSUpgradeSite
