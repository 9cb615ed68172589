function Remove-OSUpgradeUpdate {
    <#
    .SYNOPSIS
        Removes software updates from the site's catalog.
    .DESCRIPTION
        Removes each update and, unless something else uses it, its file from the content library.
        An update a schedule uses is not removed: remove it from the schedule first (a
        non-terminating error names the schedules).
    .PARAMETER Id
        Update IDs (KB5034441-x64). Takes values from the pipeline by the property names Id and UpdateId.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be removed.
    .PARAMETER Confirm
        Asks before removing.
    .EXAMPLE
        Remove-OSUpgradeUpdate -Id KB5032189-x64

        Removes a superseded update.
    .EXAMPLE
        Get-OSUpgradeUpdate -Id 'KB50*' | Remove-OSUpgradeUpdate -WhatIf

        Shows what removing those updates would do.
    .INPUTS
        System.String. IDs, by property name.
    .OUTPUTS
        None.
    .LINK
        Get-OSUpgradeUpdate
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'High')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('UpdateId')]
        [string[]] $Id,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $sites = @{}
    }

    process {
        $targets = @($Id | Where-Object { $PSCmdlet.ShouldProcess($_, 'Remove update') })
        if ($targets) {
            Invoke-OSUpgradeSiteCall -Cache $sites -SitePath $SitePath -Cmdlet $PSCmdlet -Target $targets -Call {
                param($site, $update)
                $site.RemoveUpdate($update)
            }
        }
    }

    end {
        Close-OSUpgradeSite -Cache $sites
    }
}
