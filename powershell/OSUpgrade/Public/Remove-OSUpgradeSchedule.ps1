function Remove-OSUpgradeSchedule {
    <#
    .SYNOPSIS
        Removes servicing schedules.
    .DESCRIPTION
        Removes each schedule; the history of its runs stays with the package
        (Get-OSUpgradeServicingRun -PackageId).
    .PARAMETER Id
        Schedule IDs. Takes values from the pipeline by the property names Id and ScheduleId.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be removed.
    .PARAMETER Confirm
        Asks before removing.
    .EXAMPLE
        Get-OSUpgradeSchedule -PackageId OSU00001 | Remove-OSUpgradeSchedule

        Removes every schedule of a package.
    .EXAMPLE
        Remove-OSUpgradeSchedule -Id 4 -WhatIf

        Shows which schedule would go.
    .INPUTS
        System.Int64. Schedule IDs, by property name.
    .OUTPUTS
        None.
    .LINK
        Get-OSUpgradeSchedule
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('ScheduleId')]
        [long[]] $Id,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
    }

    process {
        $targets = @($Id | Where-Object { $PSCmdlet.ShouldProcess("schedule $_", 'Remove schedule') })
        if ($targets) {
            Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $targets -Call {
                param($site, $schedule)
                $site.RemoveSchedule($schedule)
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
