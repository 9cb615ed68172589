function Select-OSUpgradeRecordByName {
    <#
    .SYNOPSIS
        Outputs the records whose Name matches a pattern, as the Get- cmdlets of named records do.
    .DESCRIPTION
        PowerShell's wildcards, any letter case. A name without wildcards that matches nothing is
        a non-terminating ObjectNotFound error, written by the calling cmdlet.
    .PARAMETER Record
        The records, each with a Name.
    .PARAMETER Name
        The name or pattern.
    .PARAMETER What
        What a record is, for the error ("distribution point").
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet, which writes the error.
    #>
    [CmdletBinding()]
    param(
        [AllowEmptyCollection()]
        [object[]] $Record,

        [Parameter(Mandatory)]
        [string] $Name,

        [Parameter(Mandatory)]
        [string] $What,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $matched = @($Record | Where-Object { $_.Name -like $Name })
    if ($matched.Count -eq 0 -and -not [WildcardPattern]::ContainsWildcardCharacters($Name)) {
        $missing = New-Object -TypeName OSUpgrade.OSUpgradeNotFoundException -ArgumentList "$What '$Name' does not exist"
        $Cmdlet.WriteError((New-OSUpgradeErrorRecord -Exception $missing -TargetObject $Name))
    }
    $matched
}
