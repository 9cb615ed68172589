function Set-OSUpgradeDistributionPointGroup {
    <#
    .SYNOPSIS
        Renames a distribution point group or changes its description.
    .DESCRIPTION
        Changes only what is given. Its points and packages stay as they are.
    .PARAMETER Name
        The group's name. Takes values from the pipeline by the property name Name.
    .PARAMETER InputObject
        Distribution point groups to change, as Get-OSUpgradeDistributionPointGroup returns them; each in its own site.
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
        OSUpgrade.DistributionPointGroup
    .INPUTS
        System.String. Group names, by the property name Name (with SitePath).
    .OUTPUTS
        None, or OSUpgrade.DistributionPointGroup with -PassThru.
    .LINK
        Get-OSUpgradeDistributionPointGroup
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'ByKey')]
    [OutputType([OSUpgrade.DistributionPointGroup])]
    param(
        [Parameter(Mandatory, Position = 0, ParameterSetName = 'ByKey', ValueFromPipelineByPropertyName)]
        [string[]] $Name,

        [Parameter(Mandatory, ParameterSetName = 'InputObject', ValueFromPipeline)]
        [OSUpgrade.DistributionPointGroup[]] $InputObject,

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
            if ($PSCmdlet.ShouldProcess($target.Key, 'Set distribution point group')) {
                Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $target.SitePath -Cmdlet $PSCmdlet -Target $target.Key -Call {
                    param($site, $group)
                    $changed = $site.SetDistributionPointGroup($group, $newNameValue, $descriptionValue)
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
