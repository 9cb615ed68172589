function Set-OSUpgradeDistributionPoint {
    <#
    .SYNOPSIS
        Renames a distribution point or changes its description.
    .DESCRIPTION
        Changes only what is given. The path of a point cannot change: add a new point, distribute
        to it, and remove the old one.
    .PARAMETER Name
        The point's name. Takes values from the pipeline by the property name Name.
    .PARAMETER InputObject
        Distribution points to change, as Get-OSUpgradeDistributionPoint returns them; each in its own site.
    .PARAMETER NewName
        The new name.
    .PARAMETER Description
        The new description.
    .PARAMETER PassThru
        Outputs the changed point.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would change without changing it.
    .PARAMETER Confirm
        Asks before changing each point.
    .EXAMPLE
        Set-OSUpgradeDistributionPoint -Name DP1 -NewName HeadOffice

        Renames a point; its status records follow the new name.
    .EXAMPLE
        Get-OSUpgradeDistributionPoint 'Branch*' | Set-OSUpgradeDistributionPoint -Description 'Branch office' -PassThru

        Describes every branch point.
    .INPUTS
        OSUpgrade.DistributionPoint
    .INPUTS
        System.String. Point names, by the property name Name (with SitePath).
    .OUTPUTS
        None, or OSUpgrade.DistributionPoint with -PassThru.
    .LINK
        Get-OSUpgradeDistributionPoint
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ByKey')]
    [OutputType([OSUpgrade.DistributionPoint])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
        [string[]] $Name,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [OSUpgrade.DistributionPoint[]] $InputObject,

        [Parameter()]
        [string] $NewName,

        [Parameter()]
        [string] $Description,

        [Parameter()]
        [switch] $PassThru,

        [Parameter(ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Records piped in carry their own site (SitePath); each site opens once.
        $sites = @{}
        # [NullString]::Value, not $null: PowerShell passes $null to a string parameter as "".
        $newNameValue = [NullString]::Value
        $descriptionValue = [NullString]::Value
        if ($PSBoundParameters.ContainsKey('NewName')) { $newNameValue = $NewName }
        if ($PSBoundParameters.ContainsKey('Description')) { $descriptionValue = $Description }
    }

    process {
        foreach ($target in (Resolve-OSUpgradeTarget -InputObject $InputObject -KeyProperty Name -Key $Name -SitePath $SitePath)) {
            if ($PSCmdlet.ShouldProcess($target.Key, 'Set distribution point')) {
                Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $target.SitePath -Cmdlet $PSCmdlet -Target $target.Key -Call {
                    param($site, $point)
                    $changed = $site.SetDistributionPoint($point, $newNameValue, $descriptionValue)
                    if ($PassThru) {
                        $changed
                    }
                }
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
