<#
.SYNOPSIS
    Runs the Pester suite against a built module in this (fresh) process and writes a JSON summary.
.DESCRIPTION
    Called by build.ps1 -Task Test in a new `pwsh -NoProfile` per edition. The lab's state is passed in
    environment variables (MAILSECURITY_LAB=1 when it runs, MAILSECURITY_REQUIRE_LAB=1 in CI).
#>
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [ValidateSet('Core', 'Desktop')] [string] $Edition = 'Core',
    [string] $Filter = $(if ($env:MAILSECURITY_PESTER_FILTER) { $env:MAILSECURITY_PESTER_FILTER } else { '*' }),
    [switch] $RequireLab
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterPath -Force
$env:MAILSECURITY_MODULE = (Resolve-Path $ModulePath).Path
if ($RequireLab) { $env:MAILSECURITY_REQUIRE_LAB = '1' }

$config = New-PesterConfiguration
$config.Run.Path = @(Get-ChildItem -Path $PSScriptRoot -Filter "$Filter.Tests.ps1" | ForEach-Object FullName)
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = [IO.Path]::ChangeExtension($SummaryPath, '.xml')
if ($Edition -eq 'Desktop') {
    # The coexistence proof needs real isolation: a private AssemblyLoadContext (Core build) or .NET Framework's
    # side-by-side binding (Windows PowerShell 5.1). The netstandard2.0 build running on .NET 10 has neither, so
    # that one test is not part of this pass; every other test runs against the netstandard2.0 code path.
    # The bench smoke test (tag Bench) measures whichever build it is given; once per test run (Core) is enough.
    $config.Filter.ExcludeTag = @('CoreOnly', 'Bench')
}
$result = Invoke-Pester -Configuration $config
$summary = [ordered]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount
}
$summary | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8
if ($summary.Failed -gt 0) { exit 1 }
exit 0
