function New-OSUpgradeErrorRecord {
    <#
    .SYNOPSIS
        Turns an exception of the OSUpgrade library into an ErrorRecord with a fitting category.
    .DESCRIPTION
        The error ID names the library's status (OSUpgradeNotFound, OSUpgradeConflict, ...); the
        category lets scripts sort errors without reading messages.
    .PARAMETER Exception
        The exception the library threw (wrapped ones are unwrapped).
    .PARAMETER TargetObject
        What the cmdlet was working on: a package ID, a source path.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)]
        [System.Exception] $Exception,

        [AllowNull()]
        [object] $TargetObject
    )

    while ($Exception -is [System.Management.Automation.MethodInvocationException] -and $Exception.InnerException) {
        $Exception = $Exception.InnerException
    }
    $category = [System.Management.Automation.ErrorCategory]::NotSpecified
    $errorId = 'OSUpgradeError'
    if ($Exception -is [OsUpgrade.OsUpgradeException]) {
        $errorId = 'OSUpgrade' + $Exception.Status
        $category = switch ($Exception.Status) {
            'NotFound' { 'ObjectNotFound' }
            'NullArgument' { 'InvalidArgument' }
            'InvalidArgument' { 'InvalidArgument' }
            'Conflict' { 'ResourceExists' }
            'IO' { 'WriteError' }
            'InvalidImage' { 'InvalidData' }
            'DamagedContent' { 'InvalidData' }
            'Busy' { 'ResourceBusy' }
            'Database' { 'ReadError' }
            default { 'NotSpecified' }
        }
    }
    elseif ($Exception -is [System.OperationCanceledException]) {
        $errorId = 'OSUpgradeCancelled'
        $category = 'OperationStopped'
    }
    elseif ($Exception -is [System.ObjectDisposedException]) {
        $errorId = 'OSUpgradeSiteClosed'
        $category = 'InvalidOperation'
    }
    elseif ($Exception -is [System.DllNotFoundException]) {
        $errorId = 'OSUpgradeNativeLibraryMissing'
        $category = 'NotInstalled'
    }
    New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $Exception, $errorId, $category, $TargetObject
}
