function Copy-OSUpgradeCallerPreference {
    <#
    .SYNOPSIS
        Gives a public cmdlet its caller's preference variables, as a compiled cmdlet has them.
    .DESCRIPTION
        A script module's functions see the module's and the global preference variables, not
        those of the script or function that called them: $WhatIfPreference = $true in an admin's
        function would otherwise really change the site. Each public cmdlet calls this first thing;
        it copies into the cmdlet's scope every preference its caller set, except those the
        cmdlet's own common parameters (-WhatIf, -ErrorAction, ...) already decide.
    .PARAMETER Cmdlet
        The public cmdlet's $PSCmdlet: its SessionState is the caller's.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    $bound = $Cmdlet.MyInvocation.BoundParameters
    foreach ($preference in $script:PreferenceParameters.GetEnumerator()) {
        if ($bound.ContainsKey($preference.Value)) {
            continue
        }
        $variable = $Cmdlet.SessionState.PSVariable.Get($preference.Key)
        if ($null -ne $variable) {
            # Scope 1 is the public cmdlet's: the one this function was called from.
            Set-Variable -Scope 1 -Name $variable.Name -Value $variable.Value -Force -WhatIf:$false -Confirm:$false
        }
    }
}

# Each preference variable, with the common parameter that overrides it.
$script:PreferenceParameters = [ordered]@{
    ErrorActionPreference = 'ErrorAction'
    WarningPreference     = 'WarningAction'
    InformationPreference = 'InformationAction'
    VerbosePreference     = 'Verbose'
    DebugPreference       = 'Debug'
    ProgressPreference    = 'ProgressAction'
    WhatIfPreference      = 'WhatIf'
    ConfirmPreference     = 'Confirm'
}
