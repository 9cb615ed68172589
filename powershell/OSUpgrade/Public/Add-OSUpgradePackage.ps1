function Add-OSUpgradePackage {
    <#
    .SYNOPSIS
        Adds an operating system upgrade package from a Windows setup source folder.
    .DESCRIPTION
        Does what Configuration Manager's Add Operating System Upgrade Package wizard does (Data
        Source page, General page) without a Configuration Manager site. The source folder must hold
        setup.exe at its root and sources\install.wim or sources\install.esd. Every file is hashed
        into the site's single-instance content library, the editions, build, architecture and
        languages of every image index are read from the image itself, and the package is recorded
        with a new package ID. Progress is shown with Write-Progress; Ctrl+C cancels, and a failed or
        cancelled add records nothing.
    .PARAMETER SourcePath
        The Windows setup source folder (an extracted ISO or a source share).
    .PARAMETER Name
        The package name. Name and Version together must be unique in the site.
    .PARAMETER Version
        The package version (free text, e.g. 22H2 or 19045.2965).
    .PARAMETER Comment
        A comment. Alias: -Description, as ConfigMgr's cmdlets name it.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be added without adding it.
    .PARAMETER Confirm
        Asks before adding.
    .EXAMPLE
        Add-OSUpgradePackage -SourcePath D:\Sources\Win11_24H2 -Name 'Windows 11 24H2' -Version 26100.1742

        Adds the source folder as a package and outputs it, with its image indexes.
    .EXAMPLE
        Get-ChildItem \\fs01\OSSources -Directory | ForEach-Object { Add-OSUpgradePackage -SourcePath $_.FullName -Name $_.Name -Comment 'Imported from fs01' }

        Adds every source folder of a share; files the folders share are stored once.
    .EXAMPLE
        Add-OSUpgradePackage -SourcePath .\Win10_22H2 -Name 'Windows 10 22H2' -WhatIf

        Shows what would be added.
    .INPUTS
        System.IO.DirectoryInfo. A source folder, as Get-Item returns it (its FullName).
    .INPUTS
        System.String. The path of a source folder.
    .OUTPUTS
        OSUpgrade.UpgradePackage
    .LINK
        Get-OSUpgradePackage
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.UpgradePackage])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('Path', 'FullName')]
        [string] $SourcePath,

        [Parameter(Mandatory, Position = 1)]
        [string] $Name,

        [Parameter()]
        [string] $Version,

        [Parameter()]
        [Alias('Description')]
        [string] $Comment,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
    }

    process {
        $source = Resolve-OSUpgradeFileSystemPath -Path $SourcePath -ParameterName SourcePath -Cmdlet $PSCmdlet
        $description = "Add upgrade package '$Name'"
        if ($Version) {
            $description += " version '$Version'"
        }
        if (-not $PSCmdlet.ShouldProcess($source, $description)) {
            return
        }
        $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
        $activity = "Adding upgrade package '$Name'"
        # Write-Progress throws once Ctrl+C is pressed, which cancels the add.
        $progress = New-OSUpgradeProgress -Activity $activity
        try {
            $site.AddPackage($source, $Name, $Version, $Comment, $progress, [System.Threading.CancellationToken]::None)
        }
        catch {
            $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $source))
        }
        finally {
            # First: once the pipeline is stopping, any command called here throws.
            $site.Dispose()
            Write-Progress -Id 1 -Activity $activity -Completed
        }
    }
}
