function Register-OSUpgradeArgumentCompleter {
    <#
    .SYNOPSIS
        Registers tab completion of package IDs and names for the package cmdlets.
    .DESCRIPTION
        Completion reads the site named by -SitePath on the command line, else the embedded default;
        a site that cannot be opened completes nothing.
    #>
    [CmdletBinding()]
    param()

    $completePackages = {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        $site = $null
        try {
            $path = [NullString]::Value
            if ($fakeBoundParameters.ContainsKey('SitePath')) {
                $path = $fakeBoundParameters['SitePath']
            }
            $prefix = $wordToComplete.Trim("'", '"')
            $site = [OsUpgrade.Site]::Open($path)
            foreach ($package in $site.GetPackages()) {
                if ($parameterName -eq 'Id') {
                    $value = $package.Id
                }
                else {
                    $value = $package.Name
                }
                if ($value -like "$([WildcardPattern]::Escape($prefix))*") {
                    $text = $value
                    if ($value -match '\s') {
                        $text = "'" + $value.Replace("'", "''") + "'"
                    }
                    $tip = '{0}  {1} {2}' -f $package.Id, $package.Name, $package.Version
                    New-Object -TypeName System.Management.Automation.CompletionResult -ArgumentList $text, $value, 'ParameterValue', $tip
                }
            }
        }
        catch {
            # No completions when the site cannot be read; never an error while typing.
            $null = $_
        }
        finally {
            if ($site) {
                $site.Dispose()
            }
        }
    }
    $commands = 'Get-OSUpgradePackage', 'Set-OSUpgradePackage', 'Remove-OSUpgradePackage'
    Register-ArgumentCompleter -CommandName $commands -ParameterName 'Id' -ScriptBlock $completePackages
    Register-ArgumentCompleter -CommandName 'Get-OSUpgradePackage' -ParameterName 'Name' -ScriptBlock $completePackages
}
