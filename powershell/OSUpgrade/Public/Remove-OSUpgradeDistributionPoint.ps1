function Remove-OSUpgradeDistributionPoint {
    <#
    .SYNOPSIS
        Removes distribution points.
    .DESCRIPTION
        Removes a point from the site. A point that holds packages is removed only with -Force,
        which first deletes their content from it. Asks for confirmation unless -Force or
        -Confirm:$false is given.
    .PARAMETER Name
        The point's name. Takes values from the pipeline by the property name Name.
    .PARAMETER InputObject
        Distribution points to remove, as Get-OSUpgradeDistributionPoint returns them; each from its own site.
    .PARAMETER Force
        Removes the content of the packages on the point first, and does not ask.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be removed without removing it.
    .PARAMETER Confirm
        Asks before removing each point.
    .EXAMPLE
        Remove-OSUpgradeDistributionPoint -Name Lab -Force

        Removes the Lab point and the packages on it.
    .EXAMPLE
        Get-OSUpgradeDistributionPoint 'Old*' | Remove-OSUpgradeDistributionPoint -WhatIf

        Shows which points would be removed.
    .INPUTS
        OSUpgrade.DistributionPoint
    .INPUTS
        System.String. Point names, by the property name Name (with SitePath).
    .OUTPUTS
        None.
    .LINK
        Remove-OSUpgradeContentDistribution
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'ByKey')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
        [string[]] $Name,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [OSUpgrade.DistributionPoint[]] $InputObject,

        [Parameter()]
        [switch] $Force,

        [Parameter(ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
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
        foreach ($target in (Resolve-OSUpgradeTarget -InputObject $InputObject -KeyProperty Name -Key $Name -SitePath $SitePath)) {
            if ($PSCmdlet.ShouldProcess($target.Key, 'Remove distribution point')) {
                Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $target.SitePath -Cmdlet $PSCmdlet -Target $target.Key -Call {
                    param($site, $point)
                    $site.RemoveDistributionPoint($point, [bool] $Force)
                }
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
