function Get-OSUpgradeSchedule {
    <#
    .SYNOPSIS
        Gets servicing schedules.
    .DESCRIPTION
        Gets schedules by ID, or the schedules of packages, or every schedule of the site, with
        their updates, recurrence, options and next run (UTC).
    .PARAMETER Id
        Schedule IDs.
    .PARAMETER PackageId
        Package IDs: their schedules. Takes values from the pipeline by the property name PackageId.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeSchedule

        Lists every schedule and when it runs next.
    .EXAMPLE
        Get-OSUpgradePackage -Name 'Windows 10*' | Get-OSUpgradeSchedule

        Lists the schedules of some packages.
    .INPUTS
        System.String. Package IDs, by property name.
    .OUTPUTS
        OSUpgrade.Schedule
    .LINK
        New-OSUpgradeSchedule
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByPackage')]
    [OutputType([OSUpgrade.Schedule])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ById')]
        [Alias('ScheduleId')]
        [long[]] $Id,

        [Parameter(ParameterSetName = 'ByPackage', ValueFromPipelineByPropertyName)]
        [string[]] $PackageId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
    }

    process {
        $call = @{ Cache = $sites; SitePath = $SitePath; Cmdlet = $PSCmdlet }
        if ($PSCmdlet.ParameterSetName -eq 'ById') {
            Invoke-OSUpgradeSiteCall @call -Target $Id -Call { param($site, $schedule) $site.GetSchedule($schedule) }
        }
        elseif ($PackageId) {
            Invoke-OSUpgradeSiteCall @call -Target $PackageId -Call { param($site, $package) $site.GetSchedules($package) }
        }
        else {
            Invoke-OSUpgradeSiteCall @call -Target 'every package' -Call { param($site) $site.GetSchedules([NullString]::Value) }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
