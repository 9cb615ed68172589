function Invoke-OSUpgradeSiteCall {
    <#
    .SYNOPSIS
        Calls the site once per target, the way the per-item cmdlets do.
    .DESCRIPTION
        Opens the site (once per pipeline, through the cache), calls -Call with the site and each
        target, and writes a non-terminating error for each target whose call fails, so that the
        others go on; the cached sites are closed before the error is written.
    .PARAMETER Cache
        The pipeline's open sites (see Open-OSUpgradeSite).
    .PARAMETER SitePath
        The site's database file or folder.
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet, which writes the errors.
    .PARAMETER Target
        What to call for: package IDs, update IDs, schedule IDs.
    .PARAMETER Call
        A script block that takes the site and one target.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Cache,

        [string] $SitePath,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet,

        [Parameter(Mandatory)]
        [object[]] $Target,

        [Parameter(Mandatory)]
        [scriptblock] $Call
    )

    foreach ($item in $Target) {
        $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $Cmdlet -Cache $Cache
        try {
            & $Call $site $item
        }
        catch {
            $record = New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $Cmdlet -TargetObject $item
            # With -ErrorAction Stop the error ends the pipeline, and no end block closes what
            # the pipeline opened (on Windows an open site.db cannot be deleted): close it first.
            # The next target opens the site again.
            Close-OSUpgradeSite -Cache $Cache
            $Cmdlet.WriteError($record)
        }
    }
}
