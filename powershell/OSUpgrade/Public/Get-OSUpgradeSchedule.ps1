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
        OsUpgrade.Schedule
    .LINK
        New-OSUpgradeSchedule
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByPackage')]
    [OutputType([OsUpgrade.Schedule])]
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
        $sites = @{}
    }

    process {
        $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet -Cache $sites
        $queries = if ($PSCmdlet.ParameterSetName -eq 'ById') {
            $Id | ForEach-Object { $scheduleId = $_; @{ Target = $scheduleId; Query = { $site.GetSchedule($scheduleId) }.GetNewClosure() } }
        }
        elseif ($PackageId) {
            $PackageId | ForEach-Object { $package = $_; @{ Target = $package; Query = { $site.GetSchedules($package) }.GetNewClosure() } }
        }
        else {
            @{ Target = $SitePath; Query = { $site.GetSchedules([NullString]::Value) }.GetNewClosure() }
        }
        foreach ($query in $queries) {
            try {
                & $query.Query
            }
            catch {
                $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Exception $_.Exception -TargetObject $query.Target))
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
