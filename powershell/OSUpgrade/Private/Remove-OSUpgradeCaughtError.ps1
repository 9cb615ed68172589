function Remove-OSUpgradeCaughtError {
    <#
    .SYNOPSIS
        Takes an error a catch block caught out of $Error and the cmdlet's -ErrorVariable.
    .DESCRIPTION
        PowerShell records every exception a script function catches, as a raw error with no
        category or target, in $Error and in the -ErrorVariable of the command it runs in. The
        module reports each failure as one record of its own; the raw one is removed (matched by
        its exception, which PowerShell keeps bare or wraps in a new record for each list).
    .PARAMETER Caught
        The error the catch block caught ($_).
    .PARAMETER Cmdlet
        The $PSCmdlet of the public cmdlet, whose caller holds the -ErrorVariable.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.ErrorRecord] $Caught,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $lists = @(, $global:Error)
    $name = $Cmdlet.MyInvocation.BoundParameters['ErrorVariable']
    if ($name) {
        # '+name' appends to the variable; the variable lives in the caller's scope.
        $variable = $Cmdlet.SessionState.PSVariable.GetValue("$name".TrimStart('+'))
        if ($variable -is [System.Collections.IList]) {
            $lists += , $variable
        }
    }
    foreach ($list in $lists) {
        # An entry is the exception itself or a record wrapping it.
        $raw = @($list | Where-Object {
                $exception = if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception } else { $_ }
                [object]::ReferenceEquals($exception, $Caught.Exception)
            })
        foreach ($record in $raw) {
            $list.Remove($record)
        }
    }
}
