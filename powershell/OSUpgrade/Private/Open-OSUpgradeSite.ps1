function Open-OSUpgradeSite {
    <#
    .SYNOPSIS
        Opens the site a cmdlet works on.
    .DESCRIPTION
        Resolves -SitePath against the current PowerShell location; with no path, the library opens
        the embedded default ($env:OSUPGRADE_SITE, else the platform's data folder), created on
        first use. A path that holds no site is an ObjectNotFound error (New-OSUpgradeSite creates
        one). A failure becomes a terminating error of the calling cmdlet. The site's log records
        go to the calling cmdlet's verbose stream.
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
        $path = Resolve-OSUpgradeFileSystemPath -Path $SitePath -ParameterName SitePath -Cmdlet $Cmdlet
    }
    $key = "$path"
    if ($null -ne $Cache -and $Cache.ContainsKey($key)) {
        return $Cache[$key]
    }
    try {
        $site = [OSUpgrade.Site]::Open($path)
    }
    catch {
        $Cmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $Cmdlet -TargetObject $SitePath))
    }
    # The operational log, as the cmdlet's verbose stream (-Verbose shows it): the library hands
    # each record over on this thread, during the call that made it.
    # The closure keeps only this scope's variables: the verbose preference the cmdlet took from
    # its caller is made one of them, or the log would follow the global preference.
    $VerbosePreference = $VerbosePreference
    $site.SetLogCallback([Action[OSUpgrade.OSUpgradeLogEntry]] {
            param($entry)
            $prefix = if ($entry.Severity -eq [OSUpgrade.OSUpgradeLogSeverity]::Information) { '' } else { "$($entry.Severity.ToString().ToUpperInvariant()): " }
            $Cmdlet.WriteVerbose("$prefix$($entry.Component): $($entry.Message)")
        }.GetNewClosure())
    if ($null -ne $Cache) {
        $Cache[$key] = $site
    }
    $site
}
