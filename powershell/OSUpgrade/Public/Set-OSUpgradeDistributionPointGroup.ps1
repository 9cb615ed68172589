function Set-OSUpgradeDistributionPointGroup {
    <#
    .SYNOPSIS
        Renames a distribution point group or changes its description.
    .DESCRIPTION
        Changes only what is given. Its points and packages stay as they are.
    .PARAMETER Name
        The group's name. Takes values from the pipeline by the property name Name.
    .PARAMETER NewName
        The new name; none of * ? [ ].
    .PARAMETER Description
        The new description.
    .PARAMETER PassThru
        Outputs the changed group.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would change without changing it.
    .PARAMETER Confirm
        Asks before changing each group.
    .EXAMPLE
        Set-OSUpgradeDistributionPointGroup -Name Branches -NewName 'Branch offices'

        Renames a group.
    .EXAMPLE
        Get-OSUpgradeDistributionPointGroup 'Lab*' | Set-OSUpgradeDistributionPointGroup -Description 'Lab' -PassThru

        Describes every lab group.
    .INPUTS
        System.String. Group names, by the property name Name.
    .OUTPUTS
        None, or OSUpgrade.DistributionPointGroup with -PassThru.
    .LINK
        Get-OSUpgradeDistributionPointGroup
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.DistributionPointGroup])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [string] $Name,

        [Parameter()]
        [string] $NewName,

        [Parameter()]
        [string] $Description,

        [Parameter()]
        [switch] $PassThru,

        [Parameter(ValueFromPipelineByPropertyName)]
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
        if (-not $PSCmdlet.ShouldProcess($Name, 'Set distribution point group')) {
            return
        }
        Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $Name -Call {
            param($site, $group)
            $changed = $site.SetDistributionPointGroup($group, $newNameValue, $descriptionValue)
            if ($PassThru) {
                $changed
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
