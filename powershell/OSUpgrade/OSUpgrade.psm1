Set-StrictMode -Version Latest

# The managed bindings and the native library live in bin/<framework>/ (./build.sh module puts
# them there): net8.0 for PowerShell 7, netstandard2.0 for Windows PowerShell 5.1.
if ($PSEdition -eq 'Core') {
    $framework = 'net8.0'
}
else {
    $framework = 'netstandard2.0'
}
$assembly = Join-Path -Path $PSScriptRoot -ChildPath "bin/$framework/OSUpgrade.dll"
if (-not (Test-Path -LiteralPath $assembly)) {
    throw "OSUpgrade's assembly is missing at '$assembly'. Build the module first: ./build.sh module"
}
Add-Type -Path $assembly

foreach ($folder in 'Private', 'Public') {
    foreach ($script in Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath $folder) -Filter '*.ps1') {
        . $script.FullName
    }
}

Register-OSUpgradeArgumentCompleter

# What is exported is the manifest's FunctionsToExport: the helpers in Private/ stay inside.
