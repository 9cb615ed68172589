function Write-OSUpgradeServicingRunOutcome {
    <#
    .SYNOPSIS
        Writes what went wrong in a servicing run, as the cmdlet that ran it.
    .DESCRIPTION
        A failed run is a non-terminating error; a partly successful one, and one whose points
        have yet to get the new content version, a warning. The error may end the pipeline
        (-ErrorAction Stop), where no end block closes what it opened: the sites are closed
        first, and the next target opens its site again.
    .PARAMETER Run
        The run.
    .PARAMETER Cmdlet
        The cmdlet that ran it, which writes the error or warnings.
    .PARAMETER Cache
        The sites the cmdlet's pipeline opened (Open-OSUpgradeSite -Cache).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [OSUpgrade.ServicingRun] $Run,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory)]
        [hashtable] $Cache
    )

    if ($Run.State -eq [OSUpgrade.ServicingRunState]::Failed) {
        Close-OSUpgradeSite -Cache $Cache
        $Cmdlet.WriteError((New-OSUpgradeErrorRecord -Exception $Run.GetErrorException() -TargetObject $Run))
    }
    elseif ($Run.State -eq [OSUpgrade.ServicingRunState]::PartiallySucceeded) {
        $Cmdlet.WriteWarning("Run $($Run.Id) of package $($Run.PackageId): $($Run.Error)")
    }
    if ($Run.PointsPending) {
        $Cmdlet.WriteWarning("Run $($Run.Id) of package $($Run.PackageId): the distribution points have yet to get content version $($Run.ContentVersionTo) (the runner tries again at each call): $($Run.PointsError)")
    }
}
