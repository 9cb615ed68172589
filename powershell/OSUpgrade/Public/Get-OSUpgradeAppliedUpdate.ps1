function Get-OSUpgradeAppliedUpdate {
    <#
    .SYNOPSIS
        Gets the software updates each image of upgrade packages holds.
    .DESCRIPTION
        For each package, per image (install, boot) and index: the updates that were in the image
        when it was imported (Origin image, read from its Windows\servicing\Packages where wimlib is
        at hand) and those servicing runs applied (Origin serviced, with the update and run), each
        with the content version it first appeared in (Configuration Manager's
        SMS_ImageUpdateStatus).
    .PARAMETER PackageId
        The package IDs. Takes values from the pipeline by the property names Id and PackageId.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeAppliedUpdate -PackageId OSU00001 | Where-Object Origin -eq serviced

        Shows what servicing put into a package.
    .EXAMPLE
        Get-OSUpgradePackage | Get-OSUpgradeAppliedUpdate | Group-Object Kb | Sort-Object Count

        Shows which updates the images of every package hold, and how widely.
    .INPUTS
        System.String. Package IDs, by property name.
    .OUTPUTS
        OSUpgrade.AppliedUpdate
    .LINK
        Get-OSUpgradeApplicableUpdate
    .LINK
        Get-OSUpgradeServicingRun
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.AppliedUpdate])]
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
            $site.GetAppliedUpdates($id)
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
