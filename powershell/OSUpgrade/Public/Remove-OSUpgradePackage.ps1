function Remove-OSUpgradePackage {
    <#
    .SYNOPSIS
        Removes operating system upgrade packages from a site.
    .DESCRIPTION
        Removes each package and then deletes from the content library every file content that no
        other package uses. Asks for confirmation unless -Force or -Confirm:$false is given. Takes
        packages from the pipeline by their Id property.
    .PARAMETER Id
        The package ID, e.g. OSU00001. Takes values from the pipeline by the property name Id.
    .PARAMETER InputObject
        Packages to remove, as Get-OSUpgradePackage returns them; each is removed from its own site.
    .PARAMETER Force
        Removes without asking.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be removed without removing it.
    .PARAMETER Confirm
        Asks before removing each package.
    .EXAMPLE
        Remove-OSUpgradePackage -Id OSU00003 -Force

        Removes one package without asking.
    .EXAMPLE
        Get-OSUpgradePackage -Name 'Win11*' | Remove-OSUpgradePackage -WhatIf

        Shows which Windows 11 packages would be removed.
    .INPUTS
        OSUpgrade.UpgradePackage
    .INPUTS
        System.String. Package IDs, by the property name Id (with SitePath).
    .OUTPUTS
        None.
    .LINK
        Get-OSUpgradePackage
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High', DefaultParameterSetName = 'ByKey')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
        [Alias('PackageId')]
        [string[]] $Id,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [OSUpgrade.UpgradePackage[]] $InputObject,

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
        foreach ($target in (Resolve-OSUpgradeTarget -InputObject $InputObject -KeyProperty Id -Key $Id -SitePath $SitePath)) {
            if ($PSCmdlet.ShouldProcess($target.Key, 'Remove upgrade package and the content only it uses')) {
                Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $target.SitePath -Cmdlet $PSCmdlet -Target $target.Key -Call {
                    param($site, $id)
                    $site.RemovePackage($id)
                }
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
