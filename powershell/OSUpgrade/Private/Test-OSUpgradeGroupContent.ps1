function Test-OSUpgradeGroupContent {
    <#
    .SYNOPSIS
        Validates the packages of a distribution point group on its points, one point at a time.
    .DESCRIPTION
        Test-OSUpgradeContent -DistributionPointGroupName. Each package and point is validated on
        its own, so that a busy point is an error of its own while the others are checked; a point
        of the group that lacks a package the group carries is a warning, and a package the group
        does not carry an error.
    .PARAMETER Site
        The open site.
    .PARAMETER GroupName
        The group.
    .PARAMETER PackageId
        The packages, or none for every package the group carries.
    .PARAMETER Progress
        Receives the validations' progress.
    .PARAMETER Cmdlet
        The calling cmdlet's $PSCmdlet, which writes the errors and warnings.
    #>
    [CmdletBinding()]
    [OutputType([OSUpgrade.ValidationReport])]
    param(
        [Parameter(Mandatory)]
        [OSUpgrade.Site] $Site,

        [Parameter(Mandatory)]
        [string] $GroupName,

        [AllowNull()]
        [string[]] $PackageId,

        [Parameter(Mandatory)]
        [object] $Progress,

        [Parameter(Mandatory)]
        [System.Management.Automation.PSCmdlet] $Cmdlet
    )

    try {
        $group = $Site.GetDistributionPointGroup($GroupName)
    }
    catch {
        $Cmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $Cmdlet -TargetObject $GroupName))
        return
    }
    $packages = @($group.PackageIds)
    if ($PackageId) {
        $packages = @()
        foreach ($id in $PackageId) {
            $carried = @($group.PackageIds | Where-Object { $_ -eq $id })
            if ($carried.Count -eq 0) {
                $missing = New-Object -TypeName OSUpgrade.OSUpgradeNotFoundException -ArgumentList "package '$id' is not distributed to distribution point group '$($group.Name)'"
                $Cmdlet.WriteError((New-OSUpgradeErrorRecord -Exception $missing -TargetObject $id))
                continue
            }
            $packages += $carried[0]
        }
    }
    foreach ($package in $packages) {
        $holders = @($Site.GetDistributionStatus($package, [NullString]::Value) | ForEach-Object { $_.DistributionPoint })
        foreach ($point in $group.Members) {
            if ($holders -notcontains $point) {
                $Cmdlet.WriteWarning("$point, a point of distribution point group '$($group.Name)', does not hold $package, which the group carries: distribute it to the group again")
                continue
            }
            try {
                $Site.ValidateContent($package, $point, $Progress, [System.Threading.CancellationToken]::None)
            }
            catch {
                $Cmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $Cmdlet -TargetObject "$package on $point"))
            }
        }
    }
}
