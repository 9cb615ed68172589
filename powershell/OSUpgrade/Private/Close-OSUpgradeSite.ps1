function Close-OSUpgradeSite {
    <#
    .SYNOPSIS
        Closes the sites a pipeline opened through Open-OSUpgradeSite -Cache.
    .DESCRIPTION
        Disposes every site in the cache and empties it, so that the database handles close when
        the cmdlet ends rather than when the garbage collector runs.
    .PARAMETER Cache
        The sites by path, as Open-OSUpgradeSite filled it.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [AllowEmptyCollection()]
        [hashtable] $Cache
    )

    foreach ($site in $Cache.Values) {
        $site.Dispose()
    }
    $Cache.Clear()
}
