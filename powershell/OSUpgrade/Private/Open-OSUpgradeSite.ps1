function Open-OSUpgradeSite {
    <#
    .SYNOPSIS
        Opens the site a cmdlet works on.
    .DESCRIPTION
        Resolves -SitePath against the current PowerShell location; with no path, the library opens
        the embedded default ($env:OSUPGRADE_SITE, else the platform's data folder). A failure
        becomes a terminating error of the calling cmdlet.
    .PARAMETER SitePath
        The site's database file or folder, or nothing for the embedded default.
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet, which reports the error.
    #>
    [CmdletBinding()]
    [OutputType([OsUpgrade.Site])]
    param(
        [string] $SitePath,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    # [NullString]::Value, not $null: PowerShell passes $null to a string parameter as "".
    $path = [NullString]::Value
    if ($SitePath) {
        $path = $Cmdlet.GetUnresolvedProviderPathFromPSPath($SitePath)
    }
    try {
        [OsUpgrade.Site]::Open($path)
    }
    catch {
        $Cmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Exception $_.Exception -TargetObject $SitePath))
    }
}
