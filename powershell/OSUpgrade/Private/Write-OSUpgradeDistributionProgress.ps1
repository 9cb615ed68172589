function Write-OSUpgradeDistributionProgress {
    <#
    .SYNOPSIS
        Shows a distribution or validation progress report with Write-Progress.
    .DESCRIPTION
        One bar (-Id 1) counts finished jobs; a child bar (-ParentId 1) shows the bytes of the job
        the report is about. Write-Progress throws once Ctrl+C is pressed, which cancels the
        operation that reported.
    .PARAMETER Activity
        What the cmdlet is doing.
    .PARAMETER Report
        The library's progress report.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string] $Activity,

        [Parameter(Mandatory)]
        [OsUpgrade.DistributionProgress] $Report
    )

    $jobsPercent = 0
    if ($Report.JobsTotal -gt 0) {
        $jobsPercent = [int] (100 * $Report.JobsDone / $Report.JobsTotal)
    }
    Write-Progress -Id 1 -Activity $Activity -Status ('{0} of {1} done' -f $Report.JobsDone, $Report.JobsTotal) -PercentComplete $jobsPercent
    $status = '{0} to {1}: {2:N0} of {3:N0} MiB' -f $Report.PackageId, $Report.DistributionPoint, ($Report.BytesDone / 1MB), ($Report.BytesTotal / 1MB)
    Write-Progress -Id 2 -ParentId 1 -Activity "$($Report.PackageId) to $($Report.DistributionPoint)" -Status $status -CurrentOperation $Report.CurrentFile -PercentComplete $Report.PercentComplete
}
