# The category of each status of the library (OSUpgrade.OSUpgradeStatus, the header's osu_status);
# Pester checks that every status has one.
$script:OSUpgradeErrorCategory = @{
    Ok              = 'NotSpecified'
    NullArgument    = 'InvalidArgument'
    InvalidArgument = 'InvalidArgument'
    InvalidHandle   = 'InvalidOperation'
    NotFound        = 'ObjectNotFound'
    Conflict        = 'ResourceExists'
    IO              = 'WriteError'
    InvalidImage    = 'InvalidData'
    Cancelled       = 'OperationStopped'
    Busy            = 'ResourceBusy'
    Database        = 'ReadError'
    Internal        = 'NotSpecified'
    DamagedContent  = 'InvalidData'
    ServicingFailed = 'InvalidResult'
    AccessDenied    = 'PermissionDenied'
    DiskFull        = 'ResourceUnavailable'
}

function New-OSUpgradeErrorRecord {
    <#
    .SYNOPSIS
        Turns an exception of the OSUpgrade library into an ErrorRecord with a fitting category.
    .DESCRIPTION
        The error ID names the library's status (OSUpgradeNotFound, OSUpgradeConflict, ...); the
        category lets scripts sort errors without reading messages. Given the error a catch block
        caught (-Caught), it also takes that raw error out of $Error and the calling cmdlet's
        -ErrorVariable, where PowerShell puts every exception a script function catches: a
        failure is the one record the cmdlet writes, as a compiled cmdlet's would be.
    .PARAMETER Caught
        The error a catch block caught ($_).
    .PARAMETER Cmdlet
        The $PSCmdlet of the public cmdlet that writes the record.
    .PARAMETER Exception
        An exception to report that no catch block caught.
    .PARAMETER TargetObject
        What the cmdlet was working on: a package ID, a source path.
    .PARAMETER ErrorId
        The error ID to use instead of the one named after the status.
    #>
    [CmdletBinding(DefaultParameterSetName = 'Exception')]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory, ParameterSetName = 'Caught')]
        [System.Management.Automation.ErrorRecord] $Caught,

        [Parameter(Mandatory, ParameterSetName = 'Caught')]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory, ParameterSetName = 'Exception')]
        [System.Exception] $Exception,

        [AllowNull()]
        [object] $TargetObject,

        [string] $ErrorId
    )

    if ($Caught) {
        Remove-OSUpgradeCaughtError -Caught $Caught -Cmdlet $Cmdlet
        $Exception = $Caught.Exception
    }
    while ($Exception -is [System.Management.Automation.MethodInvocationException] -and $Exception.InnerException) {
        $Exception = $Exception.InnerException
    }
    $category = 'NotSpecified'
    $defaultId = 'OSUpgradeError'
    if ($Exception -is [OSUpgrade.IOSUpgradeException]) {
        $defaultId = 'OSUpgrade' + $Exception.Status
        $category = $script:OSUpgradeErrorCategory[$Exception.Status.ToString()]
        if (-not $category) {
            $category = 'NotSpecified' # a status of a newer library than this module knows
        }
        if ($Exception -is [System.UnauthorizedAccessException]) {
            $category = 'PermissionDenied'
        }
    }
    elseif ($Exception -is [System.ArgumentException]) {
        $defaultId = 'OSUpgradeInvalidArgument'
        $category = 'InvalidArgument'
    }
    elseif ($Exception -is [System.OperationCanceledException]) {
        $defaultId = 'OSUpgradeCancelled'
        $category = 'OperationStopped'
    }
    elseif ($Exception -is [System.ObjectDisposedException]) {
        $defaultId = 'OSUpgradeSiteClosed'
        $category = 'InvalidOperation'
    }
    elseif ($Exception -is [System.DllNotFoundException]) {
        $defaultId = 'OSUpgradeNativeLibraryMissing'
        $category = 'NotInstalled'
    }
    if (-not $ErrorId) {
        $ErrorId = $defaultId
    }
    New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $Exception, $ErrorId, $category, $TargetObject
}
