@{
    RootModule           = 'OSUpgrade.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6b0d3c52-3f9e-4c51-9a43-2f7d8e1c0a15'
    Author               = 'OSUpgrade developers'
    CompanyName          = 'OSUpgrade'
    Copyright            = '(c) OSUpgrade developers. MIT license.'
    Description          = 'Manage Windows operating-system upgrade packages outside a Configuration Manager site: add them from setup source folders into a single-instance content library, read their image metadata, keep them in a site database, distribute them to distribution points, and service their images with software updates on a schedule.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('OSUpgrade.Format.ps1xml')
    FunctionsToExport    = @(
        'New-OSUpgradeSite'
        'Get-OSUpgradeSite'
        'Set-OSUpgradeSite'
        'Add-OSUpgradePackage'
        'Get-OSUpgradePackage'
        'Set-OSUpgradePackage'
        'Remove-OSUpgradePackage'
        'Get-OSUpgradeContentVersion'
        'Add-OSUpgradeDistributionPoint'
        'Get-OSUpgradeDistributionPoint'
        'Set-OSUpgradeDistributionPoint'
        'Remove-OSUpgradeDistributionPoint'
        'New-OSUpgradeDistributionPointGroup'
        'Get-OSUpgradeDistributionPointGroup'
        'Set-OSUpgradeDistributionPointGroup'
        'Remove-OSUpgradeDistributionPointGroup'
        'Add-OSUpgradeDistributionPointToGroup'
        'Remove-OSUpgradeDistributionPointFromGroup'
        'Start-OSUpgradeContentDistribution'
        'Get-OSUpgradeDistributionStatus'
        'Test-OSUpgradeContent'
        'Update-OSUpgradeDistributionPoint'
        'Remove-OSUpgradeContentDistribution'
        'Import-OSUpgradeUpdate'
        'Get-OSUpgradeUpdate'
        'Remove-OSUpgradeUpdate'
        'Get-OSUpgradeApplicableUpdate'
        'Get-OSUpgradeAppliedUpdate'
        'New-OSUpgradeSchedule'
        'Get-OSUpgradeSchedule'
        'Get-OSUpgradeScheduleNextRun'
        'Set-OSUpgradeSchedule'
        'Remove-OSUpgradeSchedule'
        'Invoke-OSUpgradeSchedule'
        'Get-OSUpgradeServicingRun'
        'Register-OSUpgradeServicingRunner'
        'Get-OSUpgradeLog'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Windows', 'Upgrade', 'ConfigMgr', 'SCCM', 'WIM', 'Deployment', 'OSD')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = '0.1.0: upgrade packages, distribution points and point groups, software updates and scheduled servicing of their images; on Linux and Windows (x64).'
        }
    }
}
