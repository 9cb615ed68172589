<#
.SYNOPSIS
    Publishes the OSUpgrade module as a package to a local repository folder (the form
    Install-PSResource and Install-Module install from), and optionally installs it from there.
.DESCRIPTION
    The repository is registered for the duration of the call only. ./build.sh module-package
    publishes the Release build with it; the Pester tests publish the tree's build and install
    it, to prove the package installs and imports.
.PARAMETER ModulePath
    The module folder (OSUpgrade, with its bin/).
.PARAMETER RepositoryPath
    The local repository folder; made if needed.
.PARAMETER InstallTo
    A modules folder to install the published package into (Save-PSResource), if given.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath,

    [Parameter(Mandatory)]
    [string] $RepositoryPath,

    [string] $InstallTo
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$null = New-Item -ItemType Directory -Path $RepositoryPath -Force
$name = "OSUpgradeLocal-$PID"
Register-PSResourceRepository -Name $name -Uri (Resolve-Path -LiteralPath $RepositoryPath).Path -Trusted
try {
    Publish-PSResource -Path $ModulePath -Repository $name
    if ($InstallTo) {
        $null = New-Item -ItemType Directory -Path $InstallTo -Force
        Save-PSResource -Name OSUpgrade -Repository $name -Path $InstallTo -TrustRepository
    }
}
finally {
    Unregister-PSResourceRepository -Name $name
}
