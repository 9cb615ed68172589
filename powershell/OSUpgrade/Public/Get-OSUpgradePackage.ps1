function Get-OSUpgradePackage {
    <#
    .SYNOPSIS
        Gets operating system upgrade packages.
    .DESCRIPTION
        Gets the packages of a site, with the metadata of every image index (edition, build,
        architecture, languages). With -Name, only packages whose name matches (wildcards * and ?,
        any letter case); with -Id, the packages with those IDs. A name without wildcards or an ID
        that matches nothing is a non-terminating error.
    .PARAMETER Name
        The package name, or a wildcard pattern.
    .PARAMETER Id
        One or more package IDs, e.g. OSU00001. Takes IDs from the pipeline, by value or by the
        property name Id.
    .PARAMETER Site
        A site, as Get-OSUpgradeSite and New-OSUpgradeSite return it: lists its packages.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradePackage

        Lists every package of the embedded default site.
    .EXAMPLE
        Get-OSUpgradePackage -Name 'Windows 11*' | Select-Object -ExpandProperty Images

        Shows the image indexes of every Windows 11 package.
    .EXAMPLE
        Get-OSUpgradePackage -Id OSU00001, OSU00002 -SitePath D:\Sites\Lab

        Gets two packages of the Lab site by ID.
    .INPUTS
        System.String. Package IDs, by value or by the property name Id.
    .INPUTS
        OSUpgrade.SiteInfo. A site, as Get-OSUpgradeSite and New-OSUpgradeSite return it: its packages.
    .OUTPUTS
        OSUpgrade.UpgradePackage
    .LINK
        Add-OSUpgradePackage
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(DefaultParameterSetName = 'ByName')]
    [OutputType([OSUpgrade.UpgradePackage])]
    param(
        [Parameter(ParameterSetName = 'ByName', Position = 0)]
        [Parameter(ParameterSetName = 'BySite', Position = 0)]
        [SupportsWildcards()]
        [string] $Name,

        [Parameter(Mandatory, ParameterSetName = 'ById', ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('PackageId')]
        [string[]] $Id,

        [Parameter(Mandatory, ParameterSetName = 'BySite', ValueFromPipeline)]
        [OSUpgrade.SiteInfo] $Site,

        [Parameter(ParameterSetName = 'ByName', ValueFromPipelineByPropertyName)]
        [Parameter(ParameterSetName = 'ById', ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Records piped in carry their own site (SitePath); each site opens once.
        $sites = @{}
    }

    process {
        if ($Site) {
            $SitePath = $Site.SitePath
        }
        $opened = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet -Cache $sites
        if ($PSCmdlet.ParameterSetName -ne 'ById') {
            # PowerShell's wildcards ([ab] ranges too), in any letter case, as -like reads them.
            try {
                $packages = @($opened.GetPackages([NullString]::Value) | Where-Object { -not $Name -or $_.Name -like $Name })
            }
            catch {
                $record = New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $Name
                Close-OSUpgradeSite -Cache $sites
                $PSCmdlet.ThrowTerminatingError($record)
            }
            if ($Name -and $packages.Count -eq 0 -and -not [WildcardPattern]::ContainsWildcardCharacters($Name)) {
                $missing = New-Object -TypeName OSUpgrade.OSUpgradeNotFoundException -ArgumentList "package named '$Name' does not exist"
                # -ErrorAction Stop ends the pipeline here, before the end block closes the site.
                Close-OSUpgradeSite -Cache $sites
                $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Exception $missing -TargetObject $Name))
            }
            $packages
            return
        }
        Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $Id -Call {
            param($site, $packageId)
            $site.GetPackage($packageId)
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
