function Get-OSUpgradeSiteSummary {
    <#
    .SYNOPSIS
        The site's summary as the cmdlets output it: the library's summary and the servicing engine.
    .PARAMETER Site
        The open site.
    #>
    [CmdletBinding()]
    [OutputType([OsUpgrade.SiteInfo])]
    param(
        [Parameter(Mandatory)]
        [OsUpgrade.Site] $Site
    )

    $Site.GetInfo() | Add-Member -NotePropertyName ServicingEngine -NotePropertyValue $Site.GetServicingEngine() -PassThru
}
