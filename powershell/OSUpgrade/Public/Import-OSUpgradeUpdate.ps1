function Import-OSUpgradeUpdate {
    <#
    .SYNOPSIS
        Imports software update files (.msu, .cab) into the site's update catalog.
    .DESCRIPTION
        Hashes each update file into the site's content library and records what it is: KB number,
        title, classification (ServicingStack, Cumulative, SafeOs, Setup, Other), architecture, the
        Windows builds it applies to, release date and the KBs it supersedes. These come from the
        file's entry in -CatalogPath (a JSON catalog file, see about_OSUpgrade) or else from the file
        name Microsoft gives it (windows10.0-kb5034441-x64_<hash>.msu). A folder contributes all
        the update files (.msu and .cab) below it. All or nothing: a file that is no update, or whose KB, architecture
        or Windows version cannot be told, stops the import and nothing is kept.
    .PARAMETER Path
        Update files or folders, with wildcards. Takes values from the pipeline (Get-ChildItem's
        output, by FullName). A file named twice is imported once.
    .PARAMETER CatalogPath
        A JSON catalog file describing the updates.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .PARAMETER WhatIf
        Shows what would be imported.
    .PARAMETER Confirm
        Asks before importing.
    .EXAMPLE
        Import-OSUpgradeUpdate -Path D:\Updates\2024-01 -CatalogPath D:\Updates\2024-01\catalog.json

        Imports a month's updates with their metadata.
    .EXAMPLE
        Get-ChildItem D:\Updates -Filter *.msu | Import-OSUpgradeUpdate

        Imports every .msu of a folder, described by its file name.
    .INPUTS
        System.String. Paths, by value or by the property name FullName.
    .OUTPUTS
        OSUpgrade.SoftwareUpdate
    .LINK
        Get-OSUpgradeUpdate
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType([OSUpgrade.SoftwareUpdate])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('FullName')]
        [SupportsWildcards()]
        [string[]] $Path,

        [Parameter()]
        [string] $CatalogPath,

        [Parameter()]
        [string] $SitePath
    )

    begin {
        Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet
        $paths = New-Object -TypeName 'System.Collections.Generic.List[string]'
    }

    process {
        foreach ($item in $Path) {
            $resolved = @(Resolve-OSUpgradeFileSystemPath -Path $item -ParameterName Path -Cmdlet $PSCmdlet)
            if ([WildcardPattern]::ContainsWildcardCharacters($item)) {
                $provider = $null
                try {
                    $resolved = @($PSCmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath($item, [ref] $provider))
                }
                catch {
                    $PSCmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject $item -ErrorId 'OSUpgradeNotFound'))
                }
            }
            foreach ($file in $resolved) {
                if (-not $paths.Contains($file) -and $PSCmdlet.ShouldProcess($file, 'Import update')) {
                    $paths.Add($file)
                }
            }
        }
    }

    end {
        if ($paths.Count -eq 0) {
            return
        }
        $catalog = [NullString]::Value
        if ($CatalogPath) {
            $catalog = Resolve-OSUpgradeFileSystemPath -Path $CatalogPath -ParameterName CatalogPath -Cmdlet $PSCmdlet
        }
        $activity = 'Importing updates'
        $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
        try {
            $site.ImportUpdates($paths, $catalog, (New-OSUpgradeProgress -Activity $activity), [System.Threading.CancellationToken]::None)
        }
        catch {
            $PSCmdlet.WriteError((New-OSUpgradeErrorRecord -Caught $_ -Cmdlet $PSCmdlet -TargetObject ($paths -join ', ')))
        }
        finally {
            # First: once the pipeline is stopping, any command called here throws.
            $site.Dispose()
            Write-Progress -Id 1 -Activity $activity -Completed
        }
    }
}
