function Get-OSUpgradeApplicableUpdate {
    <#
    .SYNOPSIS
        Gets the catalog's software updates that apply to upgrade packages.
    .DESCRIPTION
        For each package: the updates of its architecture and Windows build that its images do not
        hold yet and that nothing they hold supersedes, in installation order (servicing stack,
        then cumulative, then the rest; by release date within each), with the install.wim indexes
        each applies to. Pipe them to New-OSUpgradeSchedule to schedule them.
    .PARAMETER PackageId
        The package IDs. Takes values from the pipeline by the property names Id and PackageId.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeApplicableUpdate -PackageId OSU00001

        Lists what could go into a package.
    .EXAMPLE
        Get-OSUpgradeApplicableUpdate OSU00001 | New-OSUpgradeSchedule -WeekOrder Second -DayOfWeek Tuesday -OffsetDays 7

        Schedules every applicable update for a week after each Patch Tuesday.
    .INPUTS
        System.String. Package IDs, by property name.
    .OUTPUTS
        OSUpgrade.ApplicableUpdate
    .LINK
        Get-OSUpgradeAppliedUpdate
    .LINK
        New-OSUpgradeSchedule
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.ApplicableUpdate])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string[]] $PackageId,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
    }

    process {
        Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $PackageId -Call {
            param($site, $id)
            $site.GetApplicableUpdates($id)
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
