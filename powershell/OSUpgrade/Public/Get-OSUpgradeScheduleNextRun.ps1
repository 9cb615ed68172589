function Get-OSUpgradeScheduleNextRun {
    <#
    .SYNOPSIS
        Gets the next run times of servicing schedules.
    .DESCRIPTION
        Lists when a schedule will run, the next -Count times from the run it is due for, with the
        day of the week in local time: to check, before the first run comes, that "second Tuesday
        + 7 days" lands where it should. A once schedule has one run; one that has run has none.
    .PARAMETER ScheduleId
        Schedule IDs (alias -Id). Takes values from the pipeline by the property name ScheduleId
        (servicing runs) or Id (schedules, as Get-OSUpgradeSchedule returns them).
    .PARAMETER Count
        How many runs of each schedule, 1 to 1000. Default: 12.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeScheduleNextRun -Id 1

        Lists the next twelve runs of schedule 1, each with its local time and day of the week.
    .EXAMPLE
        Get-OSUpgradeSchedule -PackageId OSU00001 | Get-OSUpgradeScheduleNextRun -Count 3

        Lists the next three runs of every schedule of a package.
    .INPUTS
        System.Int64. Schedule IDs, by the property name ScheduleId or Id.
    .OUTPUTS
        OSUpgrade.ScheduleNextRun
    .LINK
        Get-OSUpgradeSchedule
    .LINK
        New-OSUpgradeSchedule
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.ScheduleNextRun])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [long[]] $ScheduleId,

        [Parameter()]
        [ValidateRange(1, 1000)]
        [int] $Count = 12,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
    }

    process {
        Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $ScheduleId -Call {
            param($site, $schedule)
            $site.GetScheduleNextRuns($schedule, $Count)
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
