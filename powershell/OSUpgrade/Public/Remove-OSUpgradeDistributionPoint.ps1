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
        System.String. Point names, by the property name Name.
    .OUTPUTS
        None.
    .LINK
        Remove-OSUpgradeContentDistribution
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [string] $Name,

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
        $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet -Cache $sites
        if ($Force -and -not $PSBoundParameters.ContainsKey('Confirm')) {
            $ConfirmPreference = 'None'
        }
        if (-not $PSCmdlet.ShouldProcess($Name, 'Remove distribution point')) {
            return
        }
        try {
            $site.RemoveDistributionPoint($Name, [bool] $Force)
        }
        catch {
            $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $Name))
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
