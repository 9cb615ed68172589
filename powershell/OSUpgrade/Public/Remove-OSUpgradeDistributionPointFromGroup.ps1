function Remove-OSUpgradeDistributionPointFromGroup {
    <#
    .SYNOPSIS
        Takes distribution points out of a distribution point group.
    .DESCRIPTION
        Does what Configuration Manager's Remove-CMDistributionPointFromGroup does: the points leave
        the group and keep the content they hold. A point that is not a member is an error, and then
        none of the points named in that call leaves.
    .PARAMETER DistributionPointGroupName
        The group.
    .PARAMETER DistributionPointName
        The points. Takes values from the pipeline by the property name Name.
    .PARAMETER PassThru
        Outputs the group as it is afterwards.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be taken out without doing it.
    .PARAMETER Confirm
        Asks before taking the points out.
    .EXAMPLE
        Remove-OSUpgradeDistributionPointFromGroup -DistributionPointGroupName Branches -DistributionPointName DP2

        Takes one point out of a group; it keeps its content.
    .EXAMPLE
        Get-OSUpgradeDistributionPoint 'Old*' | Remove-OSUpgradeDistributionPointFromGroup Branches -PassThru

        Takes the old points out and shows the group.
    .INPUTS
        System.String. Point names, by the property name Name.
    .OUTPUTS
        None, or OSUpgrade.DistributionPointGroup with -PassThru.
    .LINK
        Add-OSUpgradeDistributionPointToGroup
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    [OutputType([OSUpgrade.DistributionPointGroup])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [Alias('GroupName')]
        [string] $DistributionPointGroupName,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [Alias('Name')]
        [string[]] $DistributionPointName,

        [Parameter()]
        [switch] $PassThru,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        # Records piped in carry their own site (SitePath); each site opens once.
        $sites = @{}
    }

    process {
        $points = [string[]] $DistributionPointName
        if (-not $PSCmdlet.ShouldProcess("$($points -join ', ')", "Remove from distribution point group '$DistributionPointGroupName'")) {
            return
        }
        Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $DistributionPointGroupName -Call {
            param($site, $group)
            $changed = $site.RemoveDistributionPointsFromGroup($group, $points)
            if ($PassThru) {
                $changed
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
