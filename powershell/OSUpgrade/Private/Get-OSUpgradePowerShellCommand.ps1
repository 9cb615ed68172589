function Get-OSUpgradePowerShellCommand {
    <#
    .SYNOPSIS
        The program (and its first arguments) that starts this PowerShell again, for a scheduler.
    .DESCRIPTION
        -PowerShellPath when given; else pwsh (or powershell.exe) in $PSHOME; else, for PowerShell
        run as a .NET tool, dotnet with pwsh.dll.
    .PARAMETER PowerShellPath
        The PowerShell to use, if the caller named one.
    #>
    [CmdletBinding()]
    [OutputType([string[]])]
    param(
        [string] $PowerShellPath
    )

    if ($PowerShellPath) {
        return @($PowerShellPath)
    }
    foreach ($name in 'pwsh', 'pwsh.exe', 'powershell.exe') {
        $candidate = Join-Path -Path $PSHOME -ChildPath $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) {
            return @($candidate)
        }
    }
    $library = Join-Path -Path $PSHOME -ChildPath 'pwsh.dll'
    $dotnet = (Get-Process -Id $PID).Path
    @($dotnet, $library)
}
