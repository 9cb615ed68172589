function Write-OSUpgradeDistributionResult {
    <#
    .SYNOPSIS
        Outputs distribution statuses, and a non-terminating error for each failed job.
    .DESCRIPTION
        A job that failed left its distribution point at the previous version; the error names the
        package, the point and why, with the category of its class of failure, so that a pipeline
        over many points goes on and scripts can sort the failures.
    .PARAMETER Status
        The statuses the library returned.
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet, which writes the errors.
    #>
    [CmdletBinding()]
    param(
        [AllowEmptyCollection()]
        [OSUpgrade.DistributionStatus[]] $Status,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    foreach ($job in $Status) {
        $job
        if ($job.State -eq 'Failed') {
            # The failure keeps its class: a damaged blob is InvalidData, a full disk WriteError.
            $target = "$($job.PackageId) on $($job.DistributionPoint)"
            $record = New-OSUpgradeErrorRecord -Exception $job.GetLastErrorException() -TargetObject $target -ErrorId 'OSUpgradeDistributionFailed'
            # The message an admin reads names the point: the library's may name only a file.
            $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new("$($target): $($job.LastError)")
            $Cmdlet.WriteError($record)
        }
    }
}
