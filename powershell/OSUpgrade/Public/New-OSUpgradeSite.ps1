function New-OSUpgradeSite {
    <#
    .SYNOPSIS
        Creates an OSUpgrade site: a site database with its content library.
    .DESCRIPTION
        Creates the site database (site.db) and the content library (files/) in the folder -Path
        names, made if needed, or at the database file it names (a path with an extension such as
        lab.db). Other cmdlets open an existing site with -SitePath and never create one, so that a
        mistyped path is an error rather than a new empty site. The embedded default site
        ($env:OSUPGRADE_SITE, else the platform's data folder) needs no New-OSUpgradeSite: it is
        created on first use. A path that holds a site already is refused.
    .PARAMETER Path
        The folder (or database file) of the new site.
    .PARAMETER SiteCode
        Three letters or digits, starting with a letter, that prefix the site's package IDs
        (default OSU, as in OSU00001).
    .EXAMPLE
        New-OSUpgradeSite -Path D:\Sites\Lab -SiteCode LAB

        Creates the site D:\Sites\Lab\site.db, whose packages are LAB00001, LAB00002, ...
    .EXAMPLE
        New-OSUpgradeSite -Path ./pilot | Get-OSUpgradePackage

        Creates a site in the folder pilot and lists its (no) packages: the site summary carries
        SitePath, which the next cmdlet binds.
    .OUTPUTS
        OSUpgrade.SiteInfo
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.SiteInfo])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string] $Path,

        [Parameter()]
        [string] $SiteCode
    )

    Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet

    $resolved = Resolve-OSUpgradeFileSystemPath -Path $Path -ParameterName Path -Cmdlet $PSCmdlet
    if (-not $PSCmdlet.ShouldProcess($resolved, 'Create OSUpgrade site')) {
        return
    }
    $code = [NullString]::Value
    if ($SiteCode) {
        $code = $SiteCode
    }
    try {
        $site = [OSUpgrade.Site]::Create($resolved, $code)
    }
    catch {
        $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $Path))
        return
    }
    try {
        $site.GetInfo()
    }
    finally {
        $site.Dispose()
    }
}
