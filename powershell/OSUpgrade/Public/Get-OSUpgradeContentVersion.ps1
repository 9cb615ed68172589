function Get-OSUpgradeContentVersion {
    <#
    .SYNOPSIS
        Gets the content versions of upgrade packages.
    .DESCRIPTION
        Lists each version of a package's content, newest first: the current one (what distribution
        sends), the earlier ones the library keeps (Set-OSUpgradeSite -RetainedContentVersions), and
        those it collected, with how each came (added, reloaded, serviced), its size, and the
        distribution points that hold it.
    .PARAMETER PackageId
        The package IDs. Takes values from the pipeline by the property names Id and PackageId.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeContentVersion -PackageId OSU00001

        Lists the versions of a package and which points hold which.
    .EXAMPLE
        Get-OSUpgradePackage | Get-OSUpgradeContentVersion | Where-Object State -eq Retained

        Lists the earlier versions the library still keeps, of every package.
    .INPUTS
        System.String. Package IDs, by property name.
    .OUTPUTS
        OSUpgrade.ContentVersion
    .LINK
        Get-OSUpgradePackage
    .LINK
        Set-OSUpgradeSite
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.ContentVersion])]
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
            $site.GetContentVersions($id)
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
