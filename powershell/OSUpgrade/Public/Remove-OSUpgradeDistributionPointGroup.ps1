function Remove-OSUpgradeDistributionPointGroup {
    <#
    .SYNOPSIS
        Removes distribution point groups.
    .DESCRIPTION
        Removes the group only: its points keep the content they hold, as in Configuration Manager.
        To take a package off the points of a group first, use Remove-OSUpgradeContentDistribution
        -DistributionPointGroupName. Asks for confirmation unless -Force or -Confirm:$false is given.
    .PARAMETER Name
        The group's name. Takes values from the pipeline by the property name Name.
    .PARAMETER InputObject
        Distribution point groups to remove, as Get-OSUpgradeDistributionPointGroup returns them; each from its own site.
    .PARAMETER Force
        Removes without asking.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be removed without removing it.
    .PARAMETER Confirm
        Asks before removing each group.
    .EXAMPLE
        Remove-OSUpgradeDistributionPointGroup -Name Lab -Force

        Removes a group; its points keep their content.
    .EXAMPLE
        Get-OSUpgradeDistributionPointGroup 'Old*' | Remove-OSUpgradeDistributionPointGroup -WhatIf

        Shows which groups would be removed.
    .INPUTS
        OSUpgrade.DistributionPointGroup
    .INPUTS
        System.String. Group names, by the property name Name (with SitePath).
    .OUTPUTS
        None.
    .LINK
        New-OSUpgradeDistributionPointGroup
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'ByKey')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
        [string[]] $Name,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [OSUpgrade.DistributionPointGroup[]] $InputObject,

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
            if ($PSCmdlet.ShouldProcess($target.Key, 'Remove distribution point group')) {
                Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $target.SitePath -Cmdlet $PSCmdlet -Target $target.Key -Call {
                    param($site, $group)
                    $site.RemoveDistributionPointGroup($group)
                }
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
