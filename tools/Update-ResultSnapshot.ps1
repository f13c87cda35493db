<#
.SYNOPSIS
    Writes tests/snapshots/results/*.json: the normalised JSON of every cmdlet's results on the lab.
.DESCRIPTION
    The only writer of the result snapshot that tests/Pester/ResultSnapshot.CoreOnly.Tests.ps1 compares with. Run it through
    `dotnet pwsh ./build.ps1 -Task Snapshot` (builds, starts the lab, sets SSL_CERT_FILE to the lab's trust bundle) after
    an intended change of results, and review the diff before committing it.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    # Only the cases whose name matches this wildcard.
    [string] $Name = '*'
)
$ErrorActionPreference = 'Stop'
$pester = Join-Path $PSScriptRoot '../tests/Pester'
Import-Module (Join-Path $pester 'LabSupport.psm1') -Force
Import-Module (Join-Path $pester 'ResultSnapshot.psm1') -Force
Import-Module (Resolve-Path $ModulePath).Path -Force
if (-not (Test-LabAvailable)) { throw 'The lab is not running (dotnet pwsh ./build.ps1 -Task Lab -Action Start, as root).' }
$lab = Get-LabEnvironment
$dir = Get-ResultSnapshotDirectory
$null = New-Item -ItemType Directory -Force $dir
foreach ($case in Get-ResultSnapshotCase -Lab $lab | Where-Object Name -Like $Name) {
    $text = Get-ResultSnapshotText -Case $case
    $file = Join-Path $dir "$($case.Name).json"
    [IO.File]::WriteAllText($file, $text, [Text.UTF8Encoding]::new($false))
    Write-Host ("{0}: {1:N0} bytes" -f $file, $text.Length)
}
