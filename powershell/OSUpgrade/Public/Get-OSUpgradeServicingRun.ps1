function Get-OSUpgradeServicingRun {
    <#
    .SYNOPSIS
        Gets the history of servicing runs.
    .DESCRIPTION
        Lists servicing runs, newest first, of schedules and/or packages (Configuration Manager's
        SMS_ImageServicingProgress): state, the content version each serviced and made, its error,
        its log, and each update's result per image index.
    .PARAMETER ScheduleId
        A schedule: its runs. Takes values from the pipeline by property name (a schedule's Id).
    .PARAMETER PackageId
        A package: its runs, whatever schedule made them.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeServicingRun -PackageId OSU00001 | Select-Object -First 1 -ExpandProperty Results

        Shows each update's result in a package's last run.
    .EXAMPLE
        Get-OSUpgradeSchedule -Id 1 | Get-OSUpgradeServicingRun

        Lists a schedule's runs.
    .INPUTS
        OSUpgrade.Schedule, or IDs by property name.
    .OUTPUTS
        OSUpgrade.ServicingRun
    .LINK
        Invoke-OSUpgradeSchedule
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.ServicingRun])]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [long] $ScheduleId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string[]] $PackageId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
    }

    process {
        $schedule = $null
        if ($ScheduleId) {
            $schedule = $ScheduleId
        }
        $packages = @([NullString]::Value)
        if ($PackageId -and -not $schedule) {
            $packages = $PackageId
        }
        Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $packages -Call {
            param($site, $package)
            $site.GetServicingRuns($schedule, $package)
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
