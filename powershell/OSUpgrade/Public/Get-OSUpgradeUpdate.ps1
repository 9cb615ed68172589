function Get-OSUpgradeUpdate {
    <#
    .SYNOPSIS
        Gets software updates of the site's catalog.
    .DESCRIPTION
        Lists the catalog's updates whose ID (KB5034441-x64), KB number or title matches -Id, with *
        and ? wildcards in any letter case; without -Id, all of them, ordered by KB.
    .PARAMETER Id
        Update IDs, KB numbers or titles, with wildcards.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeUpdate

        Lists the catalog.
    .EXAMPLE
        Get-OSUpgradeUpdate -Id 'KB5034441*'

        Gets one update, whatever its architecture.
    .INPUTS
        System.String. IDs, by the property names Id and UpdateId.
    .OUTPUTS
        OSUpgrade.SoftwareUpdate
    .LINK
        Import-OSUpgradeUpdate
    .LINK
        Get-OSUpgradeApplicableUpdate
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.SoftwareUpdate])]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('UpdateId')]
        [SupportsWildcards()]
        [string[]] $Id,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
    }

    process {
        $call = @{ Cache = $sites; SitePath = $SitePath; Cmdlet = $PSCmdlet }
        if (-not $Id) {
            Invoke-OSUpgradeSiteCall @call -Target 'the catalog' -Call { param($site) $site.GetUpdates([NullString]::Value) }
            return
        }
        Invoke-OSUpgradeSiteCall @call -Target $Id -Call {
            param($site, $pattern)
            # PowerShell's wildcards ([ab] ranges too), in any letter case, as -like reads them.
            $found = @($site.GetUpdates([NullString]::Value) | Where-Object { $_.Id -like $pattern -or $_.Kb -like $pattern -or $_.Title -like $pattern })
            if ($found.Count -eq 0 -and -not [WildcardPattern]::ContainsWildcardCharacters($pattern)) {
                $site.GetUpdate($pattern)
            }
            $found
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
