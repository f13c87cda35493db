<#
.SYNOPSIS
    Runs the Pester suite against a built module in this (fresh) process and writes a JSON summary.
.DESCRIPTION
    Called by build.ps1 -Task Test in a new `pwsh -NoProfile` per edition. The lab's state is passed in
    environment variables (MAILSECURITY_LAB=1 when it runs, MAILSECURITY_REQUIRE_LAB=1 in CI).

    Files named *.CoreOnly.Tests.ps1 hold tests that can only mean something against the Core (net8.0) build: the
    dependency-isolation proof needs a private AssemblyLoadContext (or Windows PowerShell 5.1's side-by-side binding),
    which the netstandard2.0 build running on .NET 10 does not have, and the bench smoke test measures whichever build
    it is given, so once per run is enough; the result snapshot (ResultSnapshot.CoreOnly.Tests.ps1) runs every cmdlet on
    the whole lab, and the Desktop build is the same source. The Desktop pass does not load those files at all, so a normal run has no
    test that Pester reports as NotRun.

    The summary counts every test Pester reports: Passed, Failed (with failed blocks and containers), and Skipped,
    which includes the tests Pester marks NotRun (excluded by a tag filter, or never reached).
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [ValidateSet('Core', 'Desktop')] [string] $Edition = 'Core',
    [string] $Filter = $(if ($env:MAILSECURITY_PESTER_FILTER) { $env:MAILSECURITY_PESTER_FILTER } else { '*' }),
    # Where the *.Tests.ps1 files are (default: this folder).
    [string] $TestRoot = $PSScriptRoot,
    # Tags to leave out (their tests are counted as skipped).
    [string[]] $ExcludeTag = @(),
    [switch] $RequireLab
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:MAILSECURITY_MODULE = (Resolve-Path $ModulePath).Path
if ($RequireLab) { $env:MAILSECURITY_REQUIRE_LAB = '1' }

$files = @(Get-ChildItem -Path $TestRoot -Filter '*.Tests.ps1' | Where-Object {
        $_.Name -like "$Filter.Tests.ps1" -or $_.Name -like "$Filter.CoreOnly.Tests.ps1"
    } | Where-Object { $Edition -eq 'Core' -or $_.Name -notlike '*.CoreOnly.Tests.ps1' })
if ($files.Count -eq 0) {
    # An empty selection is a mistake (a typo in -PesterFilter), not a green run.
    Write-Error "No Pester file under $TestRoot matches '$Filter' for the $Edition pass." -ErrorAction Continue
    [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8
    exit 1
}

$config = New-PesterConfiguration
$config.Run.Path = @($files.FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = [IO.Path]::ChangeExtension($SummaryPath, '.xml')
if ($ExcludeTag.Count -gt 0) { $config.Filter.ExcludeTag = $ExcludeTag }
$result = Invoke-Pester -Configuration $config
$summary = [ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    # NotRun is not a pass: a test that did not run is reported, so CI (which allows no skips) notices it.
    Skipped = $result.SkippedCount + $result.NotRunCount
}
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8
if ($summary.Failed -gt 0) { exit 1 }
exit 0
