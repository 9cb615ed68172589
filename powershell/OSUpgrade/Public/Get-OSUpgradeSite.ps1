function Get-OSUpgradeSite {
    <#
    .SYNOPSIS
        Gets the summary of an OSUpgrade site.
    .DESCRIPTION
        Opens the site and returns its summary: where its database and content library are, its site
        code, schema version, how many packages it holds, the size of its content library, how many
        bytes single-instance storage saves, how many retired content versions each package keeps,
        and the servicing engine (ServicingEngine: Dism or Command, and whether this machine has it).
        A path that holds no site is an error (New-OSUpgradeSite creates one); the embedded default
        is created on first use.
    .PARAMETER SitePath
        The site's database file or the folder that holds site.db. Default: $env:OSUPGRADE_SITE,
        else %ProgramData%\OSUpgrade on Windows and ~/.local/share/osupgrade elsewhere.
    .EXAMPLE
        Get-OSUpgradeSite

        Shows the embedded default site.
    .EXAMPLE
        Get-OSUpgradeSite -SitePath D:\Sites\Lab | Select-Object PackageCount, LibrarySize, BytesSaved

        Shows how much content the Lab site holds and what deduplication saves.
    .INPUTS
        None.
    .OUTPUTS
        OSUpgrade.SiteInfo
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.SiteInfo])]
    param(
        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet

    $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
    try {
        Get-OSUpgradeSiteSummary -Site $site
    }
    catch {
        $PSCmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $SitePath))
    }
    finally {
        $site.Dispose()
    }
}
