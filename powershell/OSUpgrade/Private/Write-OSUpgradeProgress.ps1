function Write-OSUpgradeProgress {
    <#
    .SYNOPSIS
        Shows a progress report of the library (add, reload, distribute, validate) with Write-Progress.
    .DESCRIPTION
        Every long operation reports the same record. An add or reload shows one bar (-Id 1) with
        its phase, files and bytes. A distribution or validation shows one bar (-Id 1) that counts
        finished jobs and a child bar (-Id 2 -ParentId 1) with the bytes of the job the report is
        about. Write-Progress throws once Ctrl+C is pressed, which cancels the operation.
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
        [OSUpgrade.OSUpgradeProgress] $Report
    )

    $mib = '{0:N0} of {1:N0} MiB' -f ($Report.BytesDone / 1MB), ($Report.BytesTotal / 1MB)
    if ([string]::IsNullOrEmpty($Report.DistributionPoint)) {
        $status = '{0}: {1} of {2} files, {3}' -f $Report.Phase, $Report.FilesDone, $Report.FilesTotal, $mib
        Write-Progress -Id 1 -Activity $Activity -Status $status -CurrentOperation $Report.CurrentFile -PercentComplete $Report.PercentComplete
        return
    }
    $jobsPercent = 0
    if ($Report.JobsTotal -gt 0) {
        $jobsPercent = [int] (100 * $Report.JobsDone / $Report.JobsTotal)
    }
    Write-Progress -Id 1 -Activity $Activity -Status ('{0} of {1} done' -f $Report.JobsDone, $Report.JobsTotal) -PercentComplete $jobsPercent
    $job = '{0} on {1}' -f $Report.PackageId, $Report.DistributionPoint
    if ($Report.BytesReused -gt 0) {
        $mib += ' ({0:N0} MiB reused from the point)' -f ($Report.BytesReused / 1MB)
    }
    Write-Progress -Id 2 -ParentId 1 -Activity $job -Status "$($Report.Phase): $mib" -CurrentOperation $Report.CurrentFile -PercentComplete $Report.PercentComplete
}
