function Open-OSUpgradeSite {
    <#
    .SYNOPSIS
        Opens the site a cmdlet works on.
    .DESCRIPTION
        Resolves -SitePath against the current PowerShell location; with no path, the library opens
        the embedded default ($env:OSUPGRADE_SITE, else the platform's data folder), created on
        first use. A path that holds no site is an ObjectNotFound error (New-OSUpgradeSite creates
        one). A failure becomes a terminating error of the calling cmdlet.
    .PARAMETER SitePath
        The site's database file or folder, or nothing for the embedded default.
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet, which reports the error.
    .PARAMETER Cache
        Sites a pipeline has opened, by path: a site already in it is reused, a new one added.
        Close them with Close-OSUpgradeSite.
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.Site])]
    param(
        [string] $SitePath,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [hashtable] $Cache
    )

    # [NullString]::Value, not $null: PowerShell passes $null to a string parameter as "".
    $path = [NullString]::Value
    if ($SitePath) {
        $path = $Cmdlet.GetUnresolvedProviderPathFromPSPath($SitePath)
    }
    $key = "$path"
    if ($null -ne $Cache -and $Cache.ContainsKey($key)) {
        return $Cache[$key]
    }
    try {
        $site = [OSUpgrade.Site]::Open($path)
    }
    catch {
        $Cmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Exception $_.Exception -TargetObject $SitePath))
    }
    if ($null -ne $Cache) {
        $Cache[$key] = $site
    }
    $site
}
