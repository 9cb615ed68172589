function Write-OSUpgradeDistributionResult {
    <#
    .SYNOPSIS
        Outputs distribution statuses, and a non-terminating error for each failed job.
    .DESCRIPTION
        A job that failed left its distribution point at the previous version; the error names the
        package, the point and why, so that a pipeline over many points goes on.
    .PARAMETER Status
        The statuses the library returned.
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet, which writes the errors.
    #>
    [CmdletBinding()]
    param(
        [AllowEmptyCollection()]
        [OsUpgrade.DistributionStatus[]] $Status,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    foreach ($job in $Status) {
        $job
        if ($job.State -eq 'Failed') {
            $message = "distributing $($job.PackageId) to '$($job.DistributionPoint)' failed: $($job.LastError)"
            $exception = New-Object -TypeName System.IO.IOException -ArgumentList $message
            $target = "$($job.PackageId) on $($job.DistributionPoint)"
            $record = New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'OSUpgradeDistributionFailed', 'WriteError', $target
            $Cmdlet.WriteError($record)
        }
    }
}
