function New-OSUpgradeProgress {
    <#
    .SYNOPSIS
        Makes the progress receiver a cmdlet hands to the library.
    .DESCRIPTION
        The library calls it on the pipeline's own thread (SynchronousProgress, unlike .NET's
        Progress<T>, does not post to the thread pool), where Write-Progress must run; each report
        goes to Write-OSUpgradeProgress under the given activity.
    .PARAMETER Activity
        What the cmdlet is doing, shown as the progress bar's activity.
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.SynchronousProgress[OSUpgrade.OSUpgradeProgress]])]
    param(
        [Parameter(Mandatory)]
        [string] $Activity
    )

    # The closure keeps the activity; the writer it calls runs in this module, where it is visible.
    $writer = ${function:Write-OSUpgradeProgress}
    $write = {
        param($report)
        & $writer -Activity $Activity -Report $report
    }.GetNewClosure()
    New-Object -TypeName 'OSUpgrade.SynchronousProgress[OSUpgrade.OSUpgradeProgress]' -ArgumentList ([Action[OSUpgrade.OSUpgradeProgress]] $write)
}
