function Get-OSUpgradeSiteSummary {
    <#
    .SYNOPSIS
        The site's summary as the cmdlets output it: the library's summary and the servicing engine.
    .PARAMETER Site
        The open site.
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.SiteInfo])]
    param(
        [Parameter(Mandatory)]
        [OSUpgrade.Site] $Site
    )

    $Site.GetInfo() | Add-Member -NotePropertyName ServicingEngine -NotePropertyValue $Site.GetServicingEngine() -PassThru
}
