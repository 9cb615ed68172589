function Set-OSUpgradeSite {
    <#
    .SYNOPSIS
        Changes the settings of an OSUpgrade site.
    .DESCRIPTION
        Sets the servicing engine the site's schedules run with (-ServicingEngine), and how many
        retired content versions each package keeps beside its current one (0 to 100;
        a new site keeps 1). A reload (or, later, servicing) that gives a package a new content
        version retires the current one; a distribution point that still holds a retired version can
        be validated against it. The setting takes effect when a package next gets a new content
        version, which also removes the content only the dropped versions used.

        Servicing engines: Dism (Windows' DISM, the default; Windows only) or Command, an admin's
        program given by -ServicingCommand and called once per step (mount, add-package, cleanup,
        commit, discard) as about_OSUpgrade documents: to service through a Windows host from
        elsewhere, or with a tool of one's own. -ServicingMaxRunTime sets how long one step of the
        engine may run (two hours unless set, as Configuration Manager's maximum run time): a step
        still running then is ended with every process it started, and its updates fail, timed out.
    .PARAMETER ServicingEngine
        Dism or Command.
    .PARAMETER ServicingCommand
        The command engine's program; given alone, it sets the Command engine.
    .PARAMETER ServicingMaxRunTime
        How long one step of the servicing engine may run: whole seconds, from one second to
        seven days (e.g. '01:30:00' or (New-TimeSpan -Minutes 90)).
    .PARAMETER RetainedContentVersions
        Retired content versions each package keeps, 0 to 100.
    .PARAMETER PassThru
        Outputs the site's summary after the change.
    .PARAMETER SitePath
        The site's database file or the folder that holds site.db. Default: $env:OSUPGRADE_SITE,
        else %ProgramData%\OSUpgrade on Windows and ~/.local/share/osupgrade elsewhere.
    .EXAMPLE
        Set-OSUpgradeSite -RetainedContentVersions 2

        Keeps the two content versions before the current one of every package in the default site.
    .EXAMPLE
        Set-OSUpgradeSite -ServicingEngine Command -ServicingCommand /opt/servicing/engine.sh

        Services through an admin's program (for instance one that drives DISM on a Windows host).
    .EXAMPLE
        Set-OSUpgradeSite -ServicingMaxRunTime (New-TimeSpan -Hours 4)

        Lets each servicing step of the default site run up to four hours before it is ended.
    .EXAMPLE
        Get-OSUpgradeSite -SitePath D:\Sites\Lab | Set-OSUpgradeSite -RetainedContentVersions 0 -PassThru

        Keeps no retired versions in the Lab site and shows its summary.
    .INPUTS
        OSUpgrade.SiteInfo (by its SitePath).
    .OUTPUTS
        OSUpgrade.SiteInfo, with -PassThru.
    .LINK
        Get-OSUpgradeSite
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.SiteInfo])]
    param(
        [Parameter()]
        [ValidateRange(0, 100)]
        [int] $RetainedContentVersions,

        [Parameter()]
        [OSUpgrade.ServicingEngineKind] $ServicingEngine,

        [Parameter()]
        [string] $ServicingCommand,

        [Parameter()]
        [timespan] $ServicingMaxRunTime,

        [Parameter()]
        [switch] $PassThru,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
    }

    process {
        $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
        try {
            $target = $site.GetInfo().DatabasePath
            if ($PSBoundParameters.ContainsKey('RetainedContentVersions') -and
                $PSCmdlet.ShouldProcess($target, "Keep $RetainedContentVersions retired content version(s) per package")) {
                $site.SetRetainedContentVersions($RetainedContentVersions)
            }
            if ($ServicingCommand -and -not $PSBoundParameters.ContainsKey('ServicingEngine')) {
                $ServicingEngine = [OSUpgrade.ServicingEngineKind]::Command
                $PSBoundParameters['ServicingEngine'] = $ServicingEngine
            }
            if ($PSBoundParameters.ContainsKey('ServicingEngine') -and
                $PSCmdlet.ShouldProcess($target, "Service with $ServicingEngine $ServicingCommand")) {
                $command = [NullString]::Value
                if ($ServicingCommand) {
                    $command = Resolve-OSUpgradeFileSystemPath -Path $ServicingCommand -ParameterName ServicingCommand -Cmdlet $PSCmdlet
                }
                $site.SetServicingEngine($ServicingEngine, $command)
            }
            if ($PSBoundParameters.ContainsKey('ServicingMaxRunTime') -and
                $PSCmdlet.ShouldProcess($target, "End a servicing step still running after $ServicingMaxRunTime")) {
                $site.SetServicingMaxRunTime($ServicingMaxRunTime)
            }
            if ($PassThru) {
                Get-OSUpgradeSiteSummary -Site $site
            }
        }
        catch {
            $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $SitePath))
        }
        finally {
            $site.Dispose()
        }
    }
}
