# The components the library logs as, one file each (tests/house.rs checks them against the
# library's log targets).
$script:OSUpgradeLogComponent = 'package', 'distribution', 'updates', 'servicing'

function Get-OSUpgradeLog {
    <#
    .SYNOPSIS
        Reads the site's operational log back as objects.
    .DESCRIPTION
        Every operation writes what it does to CMTrace-format logs in the site's Logs folder, one
        per component: package (add, reload, remove), distribution (each job, validation),
        updates (imports) and servicing (runs and their points). This reads them, and the rotated
        files (*.lo_) too, oldest first, as entries with their time, component, severity,
        message, thread and source. CMTrace and OneTrace read the same files.
    .PARAMETER Component
        package, distribution, updates or servicing (wildcards); default all.
    .PARAMETER Severity
        Only entries of these severities: Information, Warning, Error.
    .PARAMETER After
        Only entries written after this time.
    .PARAMETER Before
        Only entries written before this time.
    .PARAMETER Tail
        Only the last N entries.
    .PARAMETER SitePath
        The site's database file or folder. Default: $env:OSUPGRADE_SITE, else the embedded default.
    .EXAMPLE
        Get-OSUpgradeLog -Component distribution -Severity Error -After (Get-Date).AddDays(-1)

        What failed in distribution since yesterday.
    .EXAMPLE
        Get-OSUpgradeLog -Tail 20

        The last twenty things the site did.
    .INPUTS
        None.
    .OUTPUTS
        OSUpgrade.LogEntry
    .LINK
        about_OSUpgrade
    #>
    [CmdletBinding()]
    [OutputType('OSUpgrade.LogEntry')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string[]] $Component = '*',

        [Parameter()]
        [ValidateSet('Information', 'Warning', 'Error')]
        [string[]] $Severity,

        [Parameter()]
        [datetime] $After,

        [Parameter()]
        [datetime] $Before,

        [Parameter()]
        [ValidateRange(1, [int]::MaxValue)]
        [int] $Tail,

        [Parameter(ValueFromPipelineByPropertyName)]
        [string] $SitePath
    )

    Copy-OSUpgradeCallerPreference -Cmdlet $PSCmdlet

    foreach ($pattern in $Component) {
        if (-not @($script:OSUpgradeLogComponent | Where-Object { $_ -like $pattern })) {
            $message = "-Component '$pattern' names no component; the components are $($script:OSUpgradeLogComponent -join ', ')"
            $PSCmdlet.ThrowTerminatingError((New-OSUpgradeErrorRecord -Exception ([System.ArgumentException]::new($message)) -TargetObject $pattern))
        }
    }
    $site = Open-OSUpgradeSite -SitePath $SitePath -Cmdlet $PSCmdlet
    try {
        $folder = Join-Path -Path (Split-Path -Path $site.GetInfo().DatabasePath -Parent) -ChildPath 'Logs'
    }
    finally {
        $site.Dispose()
    }
    if (-not (Test-Path -LiteralPath $folder -PathType Container)) {
        return
    }
    $severities = @{ '1' = 'Information'; '2' = 'Warning'; '3' = 'Error' }
    # A record's message may span lines (CMTrace reads it so): records are matched in the whole text.
    $record = [regex]::new('<!\[LOG\[(?<message>.*?)\]LOG\]!><time="(?<time>\d\d:\d\d:\d\d\.\d{3})(?<bias>[+-]\d+)" date="(?<date>\d\d-\d\d-\d{4})" component="(?<component>[^"]*)" context="[^"]*" type="(?<type>\d)" thread="(?<thread>\d+)" file="(?<file>[^"]*)">', 'Singleline')
    $files = Get-ChildItem -LiteralPath $folder -File | Where-Object {
        $name = $_.BaseName
        ($_.Extension -in '.log', '.lo_') -and @($Component | Where-Object { $name -like $_ }).Count -gt 0 -and $name -notlike 'servicing-run-*'
    }
    $entries = foreach ($file in ($files | Sort-Object -Property @{ Expression = { $_.Extension -eq '.log' } }, Name)) {
        foreach ($match in $record.Matches([System.IO.File]::ReadAllText($file.FullName))) {
            $local = [datetime]::ParseExact("$($match.Groups['date'].Value) $($match.Groups['time'].Value)", 'MM-dd-yyyy HH:mm:ss.fff', [cultureinfo]::InvariantCulture)
            $offset = [timespan]::FromMinutes(-[int] $match.Groups['bias'].Value)
            [pscustomobject]@{
                PSTypeName = 'OSUpgrade.LogEntry'
                Time       = [datetimeoffset]::new($local, $offset)
                Component  = $match.Groups['component'].Value
                Severity   = $severities[$match.Groups['type'].Value]
                Message    = $match.Groups['message'].Value
                Thread     = [int] $match.Groups['thread'].Value
                File       = $match.Groups['file'].Value
            }
        }
    }
    $entries = @($entries | Sort-Object -Property Time -Stable | Where-Object {
            (-not $Severity -or $_.Severity -in $Severity) -and
            (-not $PSBoundParameters.ContainsKey('After') -or $_.Time -gt $After) -and
            (-not $PSBoundParameters.ContainsKey('Before') -or $_.Time -lt $Before)
        })
    if ($Tail) {
        $entries = @($entries | Select-Object -Last $Tail)
    }
    $entries
}
