function Resolve-OSUpgradeTarget {
    <#
    .SYNOPSIS
        What a cmdlet acts on: records given with -InputObject, or keys given with -SitePath.
    .DESCRIPTION
        Returns one object per target with its Key (a package ID, a point or group name) and the
        SitePath of its site: a record's own site, or the -SitePath of the command for keys.
    .PARAMETER InputObject
        Records of the library (packages, points, groups), each knowing its site.
    .PARAMETER KeyProperty
        The property of a record that names it: Id or Name.
    .PARAMETER Key
        Keys given by name, when no records are.
    .PARAMETER SitePath
        The site of the keys.
    #>
    [CmdletBinding()]
    param(
        [object[]] $InputObject,

        [Parameter(Mandatory)]
        [string] $KeyProperty,

        [string[]] $Key,

        [string] $SitePath
    )

    if ($InputObject) {
        foreach ($record in $InputObject) {
            [pscustomobject]@{ Key = $record.$KeyProperty; SitePath = $record.SitePath }
        }
        return
    }
    foreach ($item in $Key) {
        [pscustomobject]@{ Key = $item; SitePath = $SitePath }
    }
}
