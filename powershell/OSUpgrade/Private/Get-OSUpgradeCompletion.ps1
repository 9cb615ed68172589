function Get-OSUpgradeCompletion {
    <#
    .SYNOPSIS
        Completes an argument from what a site holds.
    .DESCRIPTION
        Opens the site the command line names with -SitePath (else the embedded default), asks
        -Candidate for values and tooltips, and outputs those that start with the word typed so far,
        quoted where they hold anything but letters, digits and . - \ / :. A site that cannot be opened completes nothing: completion
        never fails while someone types.
    .PARAMETER BoundParameters
        The parameters bound so far on the command line.
    .PARAMETER WordToComplete
        What was typed of the argument, perhaps with an opening quote.
    .PARAMETER Candidate
        Gets the open site; outputs objects with Value and Tip.
    #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.CompletionResult])]
    param(
        [Parameter(Mandatory)]
        [System.Collections.IDictionary] $BoundParameters,

        [AllowEmptyString()]
        [string] $WordToComplete,

        [Parameter(Mandatory)]
        [scriptblock] $Candidate
    )

    $site = $null
    try {
        # [NullString]::Value, not $null: PowerShell passes $null to a string parameter as "".
        $path = [NullString]::Value
        if ($BoundParameters.Contains('SitePath')) {
            $path = $BoundParameters['SitePath']
        }
        $prefix = [WildcardPattern]::Escape($WordToComplete.Trim("'", '"'))
        $site = [OSUpgrade.Site]::Open($path)
        foreach ($item in & $Candidate $site) {
            if ($item.Value -like "$prefix*") {
                # Quoted unless it holds only what a bare word may (R&D or Ops(1) would not bind).
                $text = $item.Value
                if ($text -notmatch '^[\w.\-\\/:]+$') {
                    $text = "'" + [System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent($text) + "'"
                }
                # A CompletionResult refuses an empty tooltip (a group without points has one).
                $tip = $item.Tip
                if ([string]::IsNullOrEmpty($tip)) {
                    $tip = $item.Value
                }
                New-Object -TypeName System.Management.Automation.CompletionResult -ArgumentList $text, $item.Value, 'ParameterValue', $tip
            }
        }
    }
    catch {
        $null = $_
    }
    finally {
        if ($site) {
            $site.Dispose()
        }
    }
}
