function Register-OSUpgradeArgumentCompleter {
    <#
    .SYNOPSIS
        Registers tab completion of package IDs and names, distribution point and group names, update
        IDs and log components.
    .DESCRIPTION
        Completion reads the site named by -SitePath on the command line, else the embedded default.
    #>
    [CmdletBinding()]
    param()

    $completePackages = {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        Get-OSUpgradeCompletion -BoundParameters $fakeBoundParameters -WordToComplete $wordToComplete -Candidate {
            param($site)
            foreach ($package in $site.GetPackages()) {
                $value = $package.Name
                if ($parameterName -in 'Id', 'PackageId') {
                    $value = $package.Id
                }
                New-Object -TypeName PSObject -Property @{ Value = $value; Tip = '{0}  {1} {2}' -f $package.Id, $package.Name, $package.Version }
            }
        }
    }
    $completePoints = {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        Get-OSUpgradeCompletion -BoundParameters $fakeBoundParameters -WordToComplete $wordToComplete -Candidate {
            param($site)
            foreach ($point in $site.GetDistributionPoints()) {
                New-Object -TypeName PSObject -Property @{ Value = $point.Name; Tip = $point.Path }
            }
        }
    }
    $completeGroups = {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        Get-OSUpgradeCompletion -BoundParameters $fakeBoundParameters -WordToComplete $wordToComplete -Candidate {
            param($site)
            foreach ($group in $site.GetDistributionPointGroups()) {
                New-Object -TypeName PSObject -Property @{ Value = $group.Name; Tip = $group.Members -join ', ' }
            }
        }
    }
    $completeUpdates = {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        Get-OSUpgradeCompletion -BoundParameters $fakeBoundParameters -WordToComplete $wordToComplete -Candidate {
            param($site)
            foreach ($update in $site.GetUpdates([NullString]::Value)) {
                New-Object -TypeName PSObject -Property @{ Value = $update.Id; Tip = $update.Title }
            }
        }
    }
    $completeComponents = {
        param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
        foreach ($component in $script:OSUpgradeLogComponent) {
            if ($component -like "$wordToComplete*") {
                New-Object -TypeName System.Management.Automation.CompletionResult -ArgumentList $component, $component, 'ParameterValue', $component
            }
        }
    }
    $updateCommands = 'New-OSUpgradeSchedule', 'Set-OSUpgradeSchedule'
    Register-ArgumentCompleter -CommandName $updateCommands -ParameterName 'SoftwareUpdate' -ScriptBlock $completeUpdates
    Register-ArgumentCompleter -CommandName 'Get-OSUpgradeUpdate', 'Remove-OSUpgradeUpdate' -ParameterName 'Id' -ScriptBlock $completeUpdates
    Register-ArgumentCompleter -CommandName 'Get-OSUpgradeLog' -ParameterName 'Component' -ScriptBlock $completeComponents
    $packageCommands = 'Get-OSUpgradePackage', 'Set-OSUpgradePackage', 'Remove-OSUpgradePackage'
    Register-ArgumentCompleter -CommandName $packageCommands -ParameterName 'Id' -ScriptBlock $completePackages
    Register-ArgumentCompleter -CommandName 'Get-OSUpgradePackage' -ParameterName 'Name' -ScriptBlock $completePackages
    $contentCommands = 'Start-OSUpgradeContentDistribution', 'Get-OSUpgradeDistributionStatus', 'Test-OSUpgradeContent',
    'Update-OSUpgradeDistributionPoint', 'Remove-OSUpgradeContentDistribution'
    Register-ArgumentCompleter -CommandName $contentCommands -ParameterName 'PackageId' -ScriptBlock $completePackages
    Register-ArgumentCompleter -CommandName $contentCommands -ParameterName 'DistributionPointName' -ScriptBlock $completePoints
    $pointCommands = 'Get-OSUpgradeDistributionPoint', 'Set-OSUpgradeDistributionPoint', 'Remove-OSUpgradeDistributionPoint'
    Register-ArgumentCompleter -CommandName $pointCommands -ParameterName 'Name' -ScriptBlock $completePoints
    $membershipCommands = 'Add-OSUpgradeDistributionPointToGroup', 'Remove-OSUpgradeDistributionPointFromGroup'
    Register-ArgumentCompleter -CommandName $membershipCommands -ParameterName 'DistributionPointName' -ScriptBlock $completePoints
    $groupCommands = $membershipCommands + 'Start-OSUpgradeContentDistribution', 'Test-OSUpgradeContent', 'Remove-OSUpgradeContentDistribution'
    Register-ArgumentCompleter -CommandName $groupCommands -ParameterName 'DistributionPointGroupName' -ScriptBlock $completeGroups
    $groupRecordCommands = 'Get-OSUpgradeDistributionPointGroup', 'Set-OSUpgradeDistributionPointGroup', 'Remove-OSUpgradeDistributionPointGroup'
    Register-ArgumentCompleter -CommandName $groupRecordCommands -ParameterName 'Name' -ScriptBlock $completeGroups
}
