#requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates MailSecurity.
.DESCRIPTION
    Tasks:
      Build    Compiles both targets (net8.0 for PowerShell 7, netstandard2.0 for Windows PowerShell 5.1) and lays
               out the module in out/MailSecurity.
      Test     Build, start the lab, run xunit (with the fuzz properties at their fixed CI budget), run Pester against
               the Core build and again against the netstandard2.0 build, and print one "N passed, N failed, N skipped"
               line. Non-zero exit on failure. Stops the lab daemons it started, unless -KeepLab; a lab that was already
               running is left running.
      Fuzz     Long fuzz run: every fuzz target of tests/MailSecurity.Tests/Fuzz for -Minutes N each (default 5), one
               target at a time, niced; prints one line per target and writes out/fuzz/report.tsv. -Seed replays one.
      Lab      Start, stop or show the loopback lab (-Action Start|Stop|Status). Needs root.
      Demo     Start the lab and show Resolve-HopSecurity for every lab domain.
      Bench    Run the benchmarks (tests/bench); -Quick for the smoke mode; -KeepLab leaves the bench lab and its delay proxies running.
      Package  Build and zip out/MailSecurity into out/MailSecurity-<version>.zip.
      Snapshot Build, start the lab and rewrite tests/snapshots/results/*.json, the result snapshot that
               tests/Pester/ResultSnapshot.CoreOnly.Tests.ps1 compares with (only after an intended change of results; review
               the diff). The test never writes it.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Lab', 'Demo', 'Bench', 'Package', 'Help', 'Fuzz', 'Snapshot')]
    [string] $Task = 'Build',
    [ValidateSet('Start', 'Stop', 'Status', 'Restart')]
    [string] $Action = 'Status',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # Fail instead of skipping lab tests when the lab cannot start. On by default when CI=true.
    [switch] $RequireLab,
    # Bench smoke mode.
    [switch] $Quick,
    # Pester: only run files matching this wildcard (default all).
    [string] $PesterFilter = '*',
    # Test: leave the lab running after the tests (by default the lab daemons the test run started are stopped).
    [switch] $KeepLab,
    # Fuzz: minutes per fuzz target.
    [ValidateRange(1, 1440)]
    [int] $Minutes = 5,
    # Fuzz: replay one failure (the seed a failing fuzz property printed); xunit filter with -Target.
    [string] $Seed,
    # Fuzz: only targets whose test name contains this text (default all).
    [string] $Target
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'MailSecurity'
if ($env:CI -eq 'true') { $RequireLab = $true }

function Get-ModuleVersion {
    [xml] $props = Get-Content -Raw (Join-Path $Root 'Directory.Build.props')
    $v = $props.Project.PropertyGroup | ForEach-Object { $_.Version } | Where-Object { $_ } | Select-Object -First 1
    if (-not $v) { throw 'Version not found in Directory.Build.props.' }
    return $v
}

function Invoke-Dotnet {
    # A simple function (not advanced): dotnet's own switches such as -v:q must not bind to -Verbose.
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    $version = Get-ModuleVersion
    Write-Host "Building MailSecurity $version ($Configuration)"
    Invoke-Dotnet build (Join-Path $Root 'MailSecurity.sln') -c $Configuration --nologo --verbosity quiet '-clp:ErrorsOnly'
    if (Test-Path $ModuleOut) { Remove-Item -Recurse -Force $ModuleOut }
    $null = New-Item -ItemType Directory -Force $ModuleOut
    $psProject = Join-Path $Root 'src/MailSecurity.PowerShell'
    foreach ($pair in @(@{ Edition = 'Core'; Tfm = 'net8.0' }, @{ Edition = 'Desktop'; Tfm = 'netstandard2.0' })) {
        $bin = Join-Path $psProject "bin/$Configuration/$($pair.Tfm)"
        $dest = Join-Path $ModuleOut $pair.Edition
        $deps = Join-Path $dest 'Dependencies'
        $null = New-Item -ItemType Directory -Force $deps
        Copy-Item (Join-Path $bin 'MailSecurity.PowerShell.dll') $dest
        # Everything else goes where PowerShell's probing does not look; ModuleInitializer loads it in isolation.
        Get-ChildItem $bin -Filter *.dll | Where-Object { $_.Name -notin 'MailSecurity.PowerShell.dll', 'System.Management.Automation.dll' } |
            Copy-Item -Destination $deps
        $help = Join-Path $Root 'en-US/MailSecurity.PowerShell.dll-Help.xml'
        if (Test-Path $help) {
            $null = New-Item -ItemType Directory -Force (Join-Path $dest 'en-US')
            Copy-Item $help (Join-Path $dest 'en-US')
        }
    }
    Copy-Item (Join-Path $psProject 'MailSecurity.Format.ps1xml'), (Join-Path $psProject 'MailSecurity.Types.ps1xml') $ModuleOut
    $null = New-Item -ItemType Directory -Force (Join-Path $ModuleOut 'en-US')
    Get-ChildItem (Join-Path $Root 'en-US') -File -ErrorAction SilentlyContinue | Copy-Item -Destination (Join-Path $ModuleOut 'en-US')
    $manifest = Get-Content -Raw (Join-Path $Root 'Module.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content -Path (Join-Path $ModuleOut 'MailSecurity.psd1') -Value $manifest -Encoding utf8NoBOM
    $null = Test-ModuleManifest (Join-Path $ModuleOut 'MailSecurity.psd1')
    Write-Host "Module written to $ModuleOut"
}

function Invoke-Help {
    # MAML is generated from docs/cmdlets/*.md (the one source of truth) and the compiled cmdlet metadata.
    if (-not (Test-Path (Join-Path $Root 'tools/New-MamlHelp.ps1'))) { Write-Warning 'Help generator missing; skipping help.'; return }
    # In a child process: the generator imports the built module, which must not stay loaded in this session.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/New-MamlHelp.ps1') -ModulePath (Join-Path $ModuleOut 'MailSecurity.psd1') `
        -DocsPath (Join-Path $Root 'docs/cmdlets') -OutputPath (Join-Path $Root 'en-US/MailSecurity.PowerShell.dll-Help.xml')
    if ($LASTEXITCODE -ne 0) { throw 'Help generation failed.' }
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/New-AboutHelp.ps1') -ModulePath (Join-Path $ModuleOut 'MailSecurity.psd1') `
        -TemplatePath (Join-Path $Root 'docs/about_MailSecurity.help.txt.template') -OutputPath (Join-Path $Root 'en-US/about_MailSecurity.help.txt')
    if ($LASTEXITCODE -ne 0) { throw 'about_MailSecurity generation failed.' }
    Copy-Item (Join-Path $Root 'en-US/about_MailSecurity.help.txt') (Join-Path $ModuleOut 'en-US')
    # The module root's en-US is searched too (the root module re-exports the cmdlets), so it must not keep the
    # copy Invoke-Build made before the help was regenerated.
    foreach ($folder in 'Core/en-US', 'Desktop/en-US', 'en-US') {
        $dest = Join-Path $ModuleOut $folder
        $null = New-Item -ItemType Directory -Force $dest
        Copy-Item (Join-Path $Root 'en-US/MailSecurity.PowerShell.dll-Help.xml') $dest
    }
}

function Get-LabScript { Join-Path $Root 'tests/lab/lab.sh' }

function Invoke-Lab {
    param([string] $LabAction)
    $script = Get-LabScript
    & bash $script $LabAction.ToLowerInvariant() | Out-Host
    return $LASTEXITCODE
}

function Restore-TestTools {
    Invoke-Dotnet restore (Join-Path $Root 'tools/TestTools.proj') --nologo --verbosity quiet
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    return Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages'
}

function Invoke-XunitTests {
    $results = Join-Path $Out 'test-results'
    $null = New-Item -ItemType Directory -Force $results
    $trx = Join-Path $results 'xunit.trx'
    Remove-Item $trx -ErrorAction SilentlyContinue
    & dotnet test (Join-Path $Root 'tests/MailSecurity.Tests/MailSecurity.Tests.csproj') -c $Configuration --no-build --nologo `
        --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' | Out-Host
    if (-not (Test-Path $trx)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    [xml] $x = Get-Content -Raw $trx
    $c = $x.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$c.passed; Failed = [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted; Skipped = [int]$c.notExecuted }
}

function Get-EditionModule {
    # The manifest picks the build by $PSEdition, which is always Core in PowerShell 7. To run the netstandard2.0 build
    # here too, the Desktop pass imports a copy of the module whose manifest names the Desktop build.
    param([string] $Edition)
    $manifest = Join-Path $ModuleOut 'MailSecurity.psd1'
    if ($Edition -ne 'Desktop') { return $manifest }
    $copy = Join-Path $Out 'edition-desktop/MailSecurity'
    if (Test-Path $copy) { Remove-Item -Recurse -Force $copy }
    $null = New-Item -ItemType Directory -Force (Split-Path $copy)
    Copy-Item -Recurse $ModuleOut $copy
    $text = (Get-Content -Raw $manifest) -replace '(?m)^(\s*RootModule\s*=\s*).*$', "`$1'Desktop/MailSecurity.PowerShell.dll'"
    Set-Content -Path (Join-Path $copy 'MailSecurity.psd1') -Value $text -Encoding utf8NoBOM
    return (Join-Path $copy 'MailSecurity.psd1')
}

function Invoke-PesterRun {
    param([string] $Edition)
    $results = Join-Path $Out 'test-results'
    $null = New-Item -ItemType Directory -Force $results
    $summary = Join-Path $results "pester-$Edition.json"
    Remove-Item $summary -ErrorAction SilentlyContinue
    $pester = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1'
    $runner = Join-Path $Root 'tests/Pester/Invoke-PesterSuite.ps1'
    $env:MAILSECURITY_EDITION = $Edition
    # Through the environment: PowerShell would expand a wildcard passed on a native command line.
    $env:MAILSECURITY_PESTER_FILTER = $PesterFilter
    $modulePath = Get-EditionModule -Edition $Edition
    try {
        # A fresh pwsh -NoProfile per run: nothing from this session leaks into the tests.
        & dotnet pwsh -NoProfile -NonInteractive -File $runner -PesterPath $pester -ModulePath $modulePath `
            -SummaryPath $summary -Edition $Edition -RequireLab:$RequireLab | Out-Host
    } finally {
        Remove-Item Env:MAILSECURITY_EDITION -ErrorAction SilentlyContinue
    }
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    Get-Content -Raw $summary | ConvertFrom-Json
}

function Invoke-Test {
    Invoke-Build
    Invoke-Help
    Restore-TestTools
    Import-Module (Join-Path $Root 'tools/LabLifecycle.psm1') -Force
    $totals = Invoke-WithLab -LabScript (Get-LabScript) -KeepLab:$KeepLab -Body { param($labOk) Invoke-TestParts -LabOk $labOk }
    # The summary is the very last line (CI and the README's test command read it).
    $line = if ($totals.Skipped -gt 0) { '{0} passed, {1} failed, {2} skipped' -f $totals.Passed, $totals.Failed, $totals.Skipped }
            else { '{0} passed, {1} failed' -f $totals.Passed, $totals.Failed }
    Write-Host $line
    if ($totals.Failed -gt 0 -or ($RequireLab -and $totals.Skipped -gt 0)) { $script:TestExitCode = 1 }
}

function Invoke-TestParts {
    param([bool] $LabOk)
    $labOk = $LabOk
    if (-not $labOk) {
        if ($RequireLab) { Write-Warning 'The lab did not start; lab tests will fail (the lab is required).' }
        else { Write-Warning 'The lab did not start; lab tests will be skipped (run as root to enable them).' }
    }
    $env:MAILSECURITY_LAB = if ($labOk) { '1' } else { '0' }
    $env:MAILSECURITY_REQUIRE_LAB = if ($RequireLab) { '1' } else { '0' }
    $labEnv = Join-Path (& bash (Get-LabScript) dir) 'lab.env.json'
    if ($labOk -and (Test-Path $labEnv)) {
        $env:SSL_CERT_FILE = (Get-Content -Raw $labEnv | ConvertFrom-Json).TrustBundle
    }
    $totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $parts = @(
        @{ Name = 'xunit'; Run = { Invoke-XunitTests } }
        @{ Name = 'Pester (Core, net8.0)'; Run = { Invoke-PesterRun -Edition 'Core' } }
        @{ Name = 'Pester (Desktop build, netstandard2.0, on PowerShell 7)'; Run = { Invoke-PesterRun -Edition 'Desktop' } }
    )
    foreach ($part in $parts) {
        Write-Host "==> $($part.Name)"
        $r = & $part.Run
        Write-Host ("    {0}: {1} passed, {2} failed, {3} skipped" -f $part.Name, $r.Passed, $r.Failed, $r.Skipped)
        $totals.Passed += $r.Passed; $totals.Failed += $r.Failed; $totals.Skipped += $r.Skipped
    }
    return $totals
}

function Invoke-Fuzz {
    # One test process per target, so -Minutes is per target and one slow target does not starve the others.
    Invoke-Dotnet build (Join-Path $Root 'tests/MailSecurity.Tests/MailSecurity.Tests.csproj') -c $Configuration --nologo --verbosity quiet '-clp:ErrorsOnly'
    $fuzzOut = Join-Path $Out 'fuzz'
    $null = New-Item -ItemType Directory -Force $fuzzOut
    $report = Join-Path $fuzzOut 'report.tsv'
    Remove-Item $report -ErrorAction SilentlyContinue
    $project = Join-Path $Root 'tests/MailSecurity.Tests/MailSecurity.Tests.csproj'
    # The fuzz targets are the tests with Trait Category=Fuzz, as the test runner lists them.
    $targets = @(& dotnet test $project -c $Configuration --no-build --nologo --list-tests --filter 'Category=Fuzz' 2>$null |
        ForEach-Object { $_.Trim() } | Where-Object { $_ -like 'MailSecurity.Tests.Fuzz.*' } | Sort-Object -Unique |
        Where-Object { -not $Target -or $_ -like "*$Target*" })
    if (-not $targets) { throw "No fuzz target matches '$Target'." }
    $env:MAILSECURITY_FUZZ_SECONDS = [string]($Minutes * 60)
    $env:MAILSECURITY_FUZZ_REPORT = $report
    if ($Seed) { $env:MAILSECURITY_FUZZ_SEED = $Seed }
    $failed = 0
    try {
        foreach ($t in $targets) {
            Write-Host "==> $t ($Minutes min)"
            # niced: the machine is shared; a long run must not slow other people's tests.
            & nice -n 10 dotnet test $project -c $Configuration --no-build --nologo `
                --filter "FullyQualifiedName=$t" --logger 'console;verbosity=minimal' | Out-Host
            if ($LASTEXITCODE -ne 0) { $failed++ }
        }
    } finally {
        Remove-Item Env:MAILSECURITY_FUZZ_SECONDS, Env:MAILSECURITY_FUZZ_REPORT, Env:MAILSECURITY_FUZZ_SEED -ErrorAction SilentlyContinue
    }
    Write-Host '==> Fuzz report (target, verdict, inputs, seconds)'
    if (Test-Path $report) { Get-Content $report | Out-Host }
    $passed = $targets.Count - $failed
    Write-Host ('{0} passed, {1} failed' -f $passed, $failed)
    if ($failed -gt 0) { exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build; Invoke-Help }
    'Help' { Invoke-Help }
    'Test' { $script:TestExitCode = 0; Invoke-Test; exit $script:TestExitCode }
    'Fuzz' { Invoke-Fuzz }
    'Lab' { exit (Invoke-Lab $Action) }
    'Demo' {
        Invoke-Build; Invoke-Help
        & bash (Join-Path $Root 'tests/lab/install-packages.sh')
        if ($LASTEXITCODE -ne 0) { throw 'The lab needs Debian packages (see above).' }
        if ((Invoke-Lab 'start') -ne 0) { throw 'The lab could not start (it needs root for ports 25 and 443).' }
        $env:SSL_CERT_FILE = (Get-Content -Raw (Join-Path (& bash (Get-LabScript) dir) 'lab.env.json') | ConvertFrom-Json).TrustBundle
        & dotnet pwsh -NoProfile -File (Join-Path $Root 'tests/lab/Show-LabDemo.ps1') -ModulePath (Join-Path $ModuleOut 'MailSecurity.psd1')
        exit $LASTEXITCODE
    }
    'Snapshot' {
        Invoke-Build; Invoke-Help
        if ((Invoke-Lab 'start') -ne 0) { throw 'The lab could not start (it needs root for ports 25 and 443).' }
        $env:SSL_CERT_FILE = (Get-Content -Raw (Join-Path (& bash (Get-LabScript) dir) 'lab.env.json') | ConvertFrom-Json).TrustBundle
        & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tools/Update-ResultSnapshot.ps1') -ModulePath (Join-Path $ModuleOut 'MailSecurity.psd1')
        exit $LASTEXITCODE
    }
    'Bench' {
        Invoke-Build
        & dotnet pwsh -NoProfile -File (Join-Path $Root 'tests/bench/Invoke-Bench.ps1') -ModulePath (Join-Path $ModuleOut 'MailSecurity.psd1') -Quick:$Quick -KeepLab:$KeepLab
        exit $LASTEXITCODE
    }
    'Package' {
        Invoke-Build; Invoke-Help
        $zip = Join-Path $Out ("MailSecurity-{0}.zip" -f (Get-ModuleVersion))
        Remove-Item $zip -ErrorAction SilentlyContinue
        Compress-Archive -Path $ModuleOut -DestinationPath $zip
        Write-Host "Package written to $zip"
    }
}
