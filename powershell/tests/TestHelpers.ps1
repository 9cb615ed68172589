<#
.SYNOPSIS
    What every Pester file of the module shares: the module imported from this tree, ways to
    capture what a cmdlet writes, and two setup sources made by tests/fixtures/make-source.sh.
    Dot-sourced in each file's BeforeAll.
#>
# Output and error records of a command, as a user sees them, with non-terminating errors
# left non-terminating.
function Invoke-Capturing {
    param([scriptblock] $Command)
    $ErrorActionPreference = 'Continue'
    @(& $Command 2>&1)
}

function Get-WrittenError {
    param([scriptblock] $Command)
    @(Invoke-Capturing $Command | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
}

$repository = (Resolve-Path -Path (Join-Path -Path $PSScriptRoot -ChildPath '../..')).Path
Import-Module -Name (Join-Path -Path $repository -ChildPath 'powershell/OSUpgrade') -Force
$makeSource = Join-Path -Path $repository -ChildPath 'tests/fixtures/make-source.sh'

# Where bash cannot be started (Windows, wine), sources made beforehand, one per set of options
# (small-files-20, small-files-3-image-mib-24), are copied instead (tests/windows/run-powershell.sh
# makes them).
function New-TestSource {
    param([string] $Name, [int] $SmallFiles = 20, [int] $ImageMiB = 0)
    $path = Join-Path -Path $TestDrive -ChildPath $Name
    $options = @('--small-files', $SmallFiles)
    if ($ImageMiB -gt 0) { $options += '--image-mib', $ImageMiB }
    if ($env:OSUPGRADE_TEST_SOURCE_TEMPLATES) {
        $template = ($options -join '-').Replace('--', '')
        Copy-Item -LiteralPath (Join-Path $env:OSUPGRADE_TEST_SOURCE_TEMPLATES $template) -Destination $path -Recurse
        return $path
    }
    & bash $makeSource $path @options
    if ($LASTEXITCODE -ne 0) { throw "make-source.sh failed for $path" }
    $path
}

$script:source = New-TestSource -Name 'source'
$script:otherSource = New-TestSource -Name 'other-source'
