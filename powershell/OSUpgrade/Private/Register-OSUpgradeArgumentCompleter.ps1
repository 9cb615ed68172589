function Register-OSUpgradeArgumentCompleter {
    <#
    .SYNOPSIS
        Registers tab completion of package IDs and names and of distribution point names.
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
                if ($parameterName -in 'Id', 'PackageId') {
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
    $completePoints = {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        $site = $null
        try {
            $path = [NullString]::Value
            if ($fakeBoundParameters.ContainsKey('SitePath')) {
                $path = $fakeBoundParameters['SitePath']
            }
            $prefix = $wordToComplete.Trim("'", '"')
            $site = [OsUpgrade.Site]::Open($path)
            foreach ($point in $site.GetDistributionPoints()) {
                if ($point.Name -like "$([WildcardPattern]::Escape($prefix))*") {
                    $text = $point.Name
                    if ($text -match '\s') {
                        $text = "'" + $text.Replace("'", "''") + "'"
                    }
                    New-Object -TypeName System.Management.Automation.CompletionResult -ArgumentList $text, $point.Name, 'ParameterValue', $point.Path
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
    $contentCommands = 'Start-OSUpgradeContentDistribution', 'Get-OSUpgradeDistributionStatus', 'Test-OSUpgradeContent',
    'Update-OSUpgradeDistributionPoint', 'Remove-OSUpgradeContentDistribution'
    Register-ArgumentCompleter -CommandName $contentCommands -ParameterName 'PackageId' -ScriptBlock $completePackages
    Register-ArgumentCompleter -CommandName $contentCommands -ParameterName 'DistributionPointName' -ScriptBlock $completePoints
    $pointCommands = 'Get-OSUpgradeDistributionPoint', 'Set-OSUpgradeDistributionPoint', 'Remove-OSUpgradeDistributionPoint'
    Register-ArgumentCompleter -CommandName $pointCommands -ParameterName 'Name' -ScriptBlock $completePoints
}
