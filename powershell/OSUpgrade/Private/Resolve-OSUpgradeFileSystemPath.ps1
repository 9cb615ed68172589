function Resolve-OSUpgradeFileSystemPath {
    <#
    .SYNOPSIS
        Turns a path an admin typed into a file system path, or stops the cmdlet naming it.
    .DESCRIPTION
        Resolves -Path against the current PowerShell location; the path need not exist. A drive
        that does not exist (a typo'd Q:\Sites) or a path of another provider (Env:, HKLM:) is a
        terminating error of the calling cmdlet that names the parameter and the path: going on
        would open or create something else than the admin meant.
    .PARAMETER Path
        The path as given.
    .PARAMETER ParameterName
        The calling cmdlet's parameter the path came from, for the message.
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet, which resolves the path and reports the error.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Path,

        [Parameter(Mandatory)]
        [string] $ParameterName,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $provider = $null
    $drive = $null
    $resolved = $null
    $reason = $null
    $category = 'InvalidArgument'
    try {
        $resolved = $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path, [ref] $provider, [ref] $drive)
        if ($provider.ImplementingType -ne [Microsoft.PowerShell.Commands.FileSystemProvider]) {
            $reason = "it is a path of the $($provider.Name) provider."
        }
    }
    catch {
        $exception = $_.Exception
        while ($exception -is [System.Management.Automation.MethodInvocationException] -and $exception.InnerException) {
            $exception = $exception.InnerException
        }
        $reason = $exception.Message
        $category = 'ObjectNotFound'
    }
    if ($reason) {
        $exception = New-Object -TypeName System.ArgumentException -ArgumentList "-$ParameterName '$Path' is not a path in the file system: $reason"
        $Cmdlet.ThrowTerminatingError((New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'OSUpgradePathNotFileSystem', $category, $Path))
    }
    $resolved
}
