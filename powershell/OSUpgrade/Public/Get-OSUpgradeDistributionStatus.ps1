function Get-OSUpgradeDistributionStatus {
    <#
    .SYNOPSIS
        Gets the state of packages on distribution points.
    .DESCRIPTION
        Gets one record per package and point, in Configuration Manager's states (Waiting,
        InProgress, Installed, Failed, Retrying) with the content version targeted and installed,
        bytes copied and the last error; narrowed to a package and/or a point when given. With
        -Summary, one record per package instead: how many points it targets, and how many hold its
        current content version, are in progress or failed.
    .PARAMETER PackageId
        A package ID. Takes values from the pipeline by the property name Id.
    .PARAMETER DistributionPointName
        A distribution point's name.
    .PARAMETER State
        Only records in this state.
    .PARAMETER Summary
        One summary record per package.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeDistributionStatus -State Failed

        Lists every failed distribution with its error.
    .EXAMPLE
        Get-OSUpgradePackage -Name 'Win11*' | Get-OSUpgradeDistributionStatus -Summary

        Shows how far each Windows 11 package has spread.
    .INPUTS
        System.String. Package IDs, by the property name Id.
    .OUTPUTS
        OSUpgrade.DistributionStatus, or OSUpgrade.DistributionSummary with -Summary.
    .LINK
        Start-OSUpgradeContentDistribution
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(DefaultParameterSetName = 'Status')]
    [OutputType([OSUpgrade.DistributionStatus], ParameterSetName = 'Status')]
    [OutputType([OSUpgrade.DistributionSummary], ParameterSetName = 'Summary')]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string[]] $PackageId,

        [Parameter(ParameterSetName = 'Status')]
        [string] $DistributionPointName,

        [Parameter(ParameterSetName = 'Status')]
        [OSUpgrade.DistributionState] $State,

        [Parameter(Mandatory, ParameterSetName = 'Summary')]
        [switch] $Summary,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Records piped in carry their own site (SitePath); each site opens once.
        $sites = @{}
    }

    process {
        # [NullString]::Value, not $null: PowerShell passes $null to a string parameter as "".
        $point = [NullString]::Value
        if ($DistributionPointName) { $point = $DistributionPointName }
        $packages = @([NullString]::Value)
        if ($PackageId) { $packages = $PackageId }
        $anyState = -not $PSBoundParameters.ContainsKey('State')
        Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $packages -Call {
            param($site, $package)
            if ($Summary) {
                $site.GetDistributionSummaries($package)
            }
            else {
                $site.GetDistributionStatus($package, $point) | Where-Object { $anyState -or $_.State -eq $State }
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
