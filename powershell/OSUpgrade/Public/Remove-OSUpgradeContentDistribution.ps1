function Remove-OSUpgradeContentDistribution {
    <#
    .SYNOPSIS
        Removes packages' content from distribution points or from the points of a group.
    .DESCRIPTION
        Deletes the package's folder and manifest from each point and forgets its status there. The
        package stays in the site. Asks for confirmation unless -Force or -Confirm:$false is given.
    .PARAMETER PackageId
        The package ID. Takes values from the pipeline by the property names Id and PackageId.
    .PARAMETER DistributionPointName
        The points. Takes values from the pipeline by the property name DistributionPoint.
    .PARAMETER DistributionPointGroupName
        A distribution point group: the package leaves each of its points (except a point where
        another of its groups still carries it), and the group no longer carries it.
    .PARAMETER Force
        Removes without asking.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be removed without removing it.
    .PARAMETER Confirm
        Asks before removing each package from each point.
    .EXAMPLE
        Remove-OSUpgradeContentDistribution -PackageId OSU00001 -DistributionPointName DP1 -Force

        Removes one package from one point.
    .EXAMPLE
        Get-OSUpgradeDistributionStatus -DistributionPointName Lab | Remove-OSUpgradeContentDistribution -WhatIf

        Shows what would be removed from the Lab point.
    .EXAMPLE
        Remove-OSUpgradeContentDistribution -PackageId OSU00001 -DistributionPointGroupName Branches -Force

        Takes a package off every point of a group.
    .INPUTS
        System.String. Package IDs and point names, by property name.
    .OUTPUTS
        None.
    .LINK
        Start-OSUpgradeContentDistribution
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'ByPoint')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Id')]
        [string[]] $PackageId,

        [Parameter(Mandatory, Position = 1, ParameterSetName = 'ByPoint', ValueFromPipelineByPropertyName)]
        [Alias('DistributionPoint')]
        [string[]] $DistributionPointName,

        [Parameter(Mandatory, ParameterSetName = 'ByGroup')]
        [string] $DistributionPointGroupName,

        [Parameter()]
        [switch] $Force,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Records piped in carry their own site (SitePath); each site opens once.
        $sites = @{}
    }

    process {
        if ($Force -and -not $PSBoundParameters.ContainsKey('Confirm')) {
            $ConfirmPreference = 'None'
        }
        foreach ($package in $PackageId) {
            if ($DistributionPointGroupName) {
                if ($PSCmdlet.ShouldProcess("$package on distribution point group '$DistributionPointGroupName'", 'Remove content from distribution point group')) {
                    Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $DistributionPointGroupName -Call {
                        param($site, $group)
                        $site.RemoveContentFromGroup($package, $group)
                    }
                }
                continue
            }
            $targets = @($DistributionPointName | Where-Object { $PSCmdlet.ShouldProcess("$package on $_", 'Remove content from distribution point') })
            if ($targets) {
                Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $targets -Call {
                    param($site, $point)
                    $site.RemoveContent($package, $point)
                }
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
