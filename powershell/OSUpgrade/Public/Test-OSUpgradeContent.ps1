function Test-OSUpgradeContent {
    <#
    .SYNOPSIS
        Validates packages on distribution points.
    .DESCRIPTION
        Does what Configuration Manager's content validation does: re-hashes every file of the
        package on the point against the manifest installed with it, and reports each missing,
        altered and unexpected file. A point that does not match is recorded as Failed (see
        Get-OSUpgradeDistributionStatus); distributing again repairs it, copying only what is wrong.
        Without -DistributionPointName, every point that holds the package is checked; with
        -DistributionPointGroupName, the packages the group carries (or those of -PackageId) on each
        point of the group.
    .PARAMETER PackageId
        The package IDs. Takes values from the pipeline by the property names Id and PackageId.
    .PARAMETER DistributionPointName
        The points; every point that holds the package when none is given. Takes values from
        the pipeline by the property name DistributionPoint.
    .PARAMETER DistributionPointGroupName
        A distribution point group: each of its points is checked for each package it carries, or
        for the packages of -PackageId (which the group must carry). A point that is busy or
        cannot be read is an error of its own while the others are checked; a point of the group
        that does not hold a package the group carries is a warning.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Test-OSUpgradeContent -PackageId OSU00001 -DistributionPointName DP1

        Validates one package on one point.
    .EXAMPLE
        Get-OSUpgradePackage | Test-OSUpgradeContent | Where-Object { -not $_.Valid }

        Validates every package on every point that holds it and shows what does not match.
    .EXAMPLE
        Test-OSUpgradeContent -DistributionPointGroupName Branches

        Validates every package of a group on each of its points.
    .INPUTS
        System.String. Package IDs and point names, by property name.
    .OUTPUTS
        OSUpgrade.ValidationReport
    .LINK
        Update-OSUpgradeDistributionPoint
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByPoint')]
    [OutputType([OSUpgrade.ValidationReport])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ByPoint', ValueFromPipelineByPropertyName)]
        [Parameter(Position = 0, ParameterSetName = 'ByGroup', ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string[]] $PackageId,

        [Parameter(Position = 1, ParameterSetName = 'ByPoint', ValueFromPipelineByPropertyName)]
        [Alias('DistributionPoint')]
        [string[]] $DistributionPointName,

        [Parameter(Mandatory, ParameterSetName = 'ByGroup')]
        [string] $DistributionPointGroupName,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Records piped in carry their own site (SitePath); each site opens once.
        $sites = @{}
        $activity = 'Validating content'
        $progress = New-OSUpgradeProgress -Activity $activity
    }

    process {
        try {
            $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet -Cache $sites
            if ($DistributionPointGroupName) {
                Test-OSUpgradeGroupContent -Site $site -GroupName $DistributionPointGroupName -PackageId $PackageId -Progress $progress -Cmdlet $PSCmdlet
                return
            }
            foreach ($package in $PackageId) {
                try {
                    $points = @($DistributionPointName)
                    if (-not $DistributionPointName) {
                        $points = @($site.GetDistributionStatus($package, [NullString]::Value) | ForEach-Object { $_.DistributionPoint })
                    }
                    foreach ($point in $points) {
                        try {
                            $site.ValidateContent($package, $point, $progress, [System.Threading.CancellationToken]::None)
                        }
                        catch {
                            $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject "$package on $point"))
                        }
                    }
                }
                catch [System.Management.Automation.ActionPreferenceStopException] {
                    throw # a point's error that -ErrorAction Stop made terminating: it is written
                }
                catch {
                    $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $package))
                }
            }
        }
        catch {
            # An error that ends the pipeline (-ErrorAction Stop) skips the end block: the sites
            # the pipeline opened are closed here (on Windows an open site.db cannot be deleted).
            Close-OSUpgradeSite -Cache $sites
            throw
        }
    }

    end {
        Write-Progress -Id 1 -Activity $activity -Completed
        Close-OSUpgradeSite -Cache $sites
    }
}
