function Get-OSUpgradeApplicableUpdate {
    <#
    .SYNOPSIS
        Gets the catalog's software updates that apply to upgrade packages.
    .DESCRIPTION
        For each package: the updates of its architecture and Windows build that its images do not
        hold yet and that nothing they hold supersedes, in installation order (servicing stack,
        then cumulative, then the rest; by release date within each), with the install.wim indexes
        each applies to. Pipe them to New-OSUpgradeSchedule to schedule them. With
        -NotApplicable: the catalog's other updates instead, each with the reason it is not offered
        (another architecture or build, in the image already, superseded and by which, a Setup
        dynamic update, no WinRE for a Safe OS update).
    .PARAMETER PackageId
        The package IDs. Takes values from the pipeline by the property names Id and PackageId.
    .PARAMETER NotApplicable
        Lists the updates that are not offered, with why, instead of those that are.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeApplicableUpdate -PackageId OSU00001

        Lists what could go into a package.
    .EXAMPLE
        Get-OSUpgradeApplicableUpdate OSU00001 | New-OSUpgradeSchedule -WeekOrder Second -DayOfWeek Tuesday -OffsetDays 7

        Schedules every applicable update for a week after each Patch Tuesday.
    .EXAMPLE
        Get-OSUpgradeApplicableUpdate OSU00001 -NotApplicable

        Lists the updates the package is not offered, and why: to find out where an expected
        update went.
    .INPUTS
        System.String. Package IDs, by property name.
    .OUTPUTS
        OSUpgrade.ApplicableUpdate
    .OUTPUTS
        OSUpgrade.NotApplicableUpdate
    .LINK
        Get-OSUpgradeAppliedUpdate
    .LINK
        New-OSUpgradeSchedule
    #>
    [CmdletBinding(DefaultParameterSetName = 'Applicable')]
    [OutputType([OSUpgrade.ApplicableUpdate], ParameterSetName = 'Applicable')]
    [OutputType([OSUpgrade.NotApplicableUpdate], ParameterSetName = 'NotApplicable')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string[]] $PackageId,

        [Parameter(Mandatory, ParameterSetName = 'NotApplicable')]
        [switch] $NotApplicable,

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
            if ($NotApplicable) {
                $site.GetNotApplicableUpdates($id)
            }
            else {
                $site.GetApplicableUpdates($id)
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
