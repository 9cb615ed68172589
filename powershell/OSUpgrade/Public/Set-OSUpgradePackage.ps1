function Set-OSUpgradePackage {
    <#
    .SYNOPSIS
        Changes the name, version or comment of operating system upgrade packages.
    .DESCRIPTION
        Changes only the fields given; Name and Version together must stay unique in the site. Takes
        packages from the pipeline by their Id property.
    .PARAMETER Id
        The package ID, e.g. OSU00001. Takes values from the pipeline by the property name Id.
    .PARAMETER InputObject
        Packages to change, as Get-OSUpgradePackage returns them; each is changed in its own site.
    .PARAMETER NewName
        The new package name.
    .PARAMETER Version
        The new package version.
    .PARAMETER Comment
        The new comment.
    .PARAMETER PassThru
        Outputs the changed package.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would change without changing it.
    .PARAMETER Confirm
        Asks before changing each package.
    .EXAMPLE
        Set-OSUpgradePackage -Id OSU00001 -Version 19045.3803 -Comment 'Serviced with 2023-12 LCU'

        Changes the version and comment of one package.
    .EXAMPLE
        Get-OSUpgradePackage -Name 'Windows 10*' | Set-OSUpgradePackage -Comment 'Retired' -PassThru

        Marks every Windows 10 package as retired and shows them.
    .INPUTS
        OSUpgrade.UpgradePackage
    .INPUTS
        System.String. Package IDs, by the property name Id (with SitePath).
    .OUTPUTS
        None, or OSUpgrade.UpgradePackage with -PassThru.
    .LINK
        Get-OSUpgradePackage
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ByKey')]
    [OutputType([OSUpgrade.UpgradePackage])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
        [Alias('PackageId')]
        [string[]] $Id,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [OSUpgrade.UpgradePackage[]] $InputObject,

        [Parameter()]
        [string] $NewName,

        [Parameter()]
        [string] $Version,

        [Parameter()]
        [string] $Comment,

        [Parameter()]
        [switch] $PassThru,

        [Parameter(ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Records piped in carry their own site (SitePath); each site opens once.
        $sites = @{}
        # Only the parameters given change; an empty string sets a field empty. [NullString]::Value,
        # not $null: PowerShell passes $null to a string parameter as "".
        $name = [NullString]::Value
        $newVersion = [NullString]::Value
        $newComment = [NullString]::Value
        if ($PSBoundParameters.ContainsKey('NewName')) { $name = $NewName }
        if ($PSBoundParameters.ContainsKey('Version')) { $newVersion = $Version }
        if ($PSBoundParameters.ContainsKey('Comment')) { $newComment = $Comment }
    }

    process {
        foreach ($target in (Resolve-OSUpgradeTarget -InputObject $InputObject -KeyProperty Id -Key $Id -SitePath $SitePath)) {
            if ($PSCmdlet.ShouldProcess($target.Key, 'Set upgrade package')) {
                Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $target.SitePath -Cmdlet $PSCmdlet -Target $target.Key -Call {
                    param($site, $id)
                    $package = $site.SetPackage($id, $name, $newVersion, $newComment)
                    if ($PassThru) {
                        $package
                    }
                }
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
