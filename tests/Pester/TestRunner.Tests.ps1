# The suite runner (Invoke-PesterSuite.ps1) that build.ps1 -Task Test calls once per edition: which files each pass
# loads and how its summary counts tests. Runs the runner in a child process on fixture files written here, so the
# expected counts come from the fixtures, not from the real suite.
BeforeAll {
    $script:Runner = Join-Path $PSScriptRoot 'Invoke-PesterSuite.ps1'
    $script:PesterPsd1 = Join-Path (Get-Module Pester).ModuleBase 'Pester.psd1'
    $script:Fixtures = Join-Path $TestDrive 'fixtures'
    $null = New-Item -ItemType Directory -Force $Fixtures
    # Two passing tests, one skipped, one tagged Slow (NotRun when Slow is excluded).
    Set-Content -Path (Join-Path $Fixtures 'Shared.Tests.ps1') -Value @'
Describe 'shared' {
    It 'passes' { 1 | Should -Be 1 }
    It 'passes too' { 2 | Should -Be 2 }
    It 'is skipped' -Skip { 1 | Should -Be 2 }
    It 'is slow' -Tag 'Slow' { 1 | Should -Be 1 }
}
'@
    # Only meaningful against the Core build: the Desktop pass must not even load it.
    Set-Content -Path (Join-Path $Fixtures 'OnlyCore.CoreOnly.Tests.ps1') -Value @'
Describe 'core only' {
    It 'passes' { 1 | Should -Be 1 }
}
'@
    # A module manifest is all the runner needs of the module (it only resolves the path).
    $script:Manifest = Join-Path $TestDrive 'Fake.psd1'
    Set-Content -Path $Manifest -Value '@{ ModuleVersion = ''1.0'' }'

    function Invoke-Runner {
        param([string] $Edition, [string[]] $ExcludeTag = @(), [string] $Filter = '*')
        $summary = Join-Path $TestDrive ("summary-{0}-{1}.json" -f $Edition, [guid]::NewGuid().ToString('N'))
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $Runner, '-PesterPath', $PesterPsd1, '-ModulePath', $Manifest,
            '-SummaryPath', $summary, '-Edition', $Edition, '-TestRoot', $Fixtures)
        # Through the environment, as build.ps1 does: PowerShell expands a wildcard on a native command line.
        $env:MAILSECURITY_PESTER_FILTER = $Filter
        if ($ExcludeTag.Count -gt 0) { $arguments += @('-ExcludeTag', ($ExcludeTag -join ',')) }
        try { $output = & $pwsh @prefix @arguments 2>&1 } finally { Remove-Item Env:MAILSECURITY_PESTER_FILTER -ErrorAction SilentlyContinue }
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            # Without colour sequences: they are not valid in the NUnit XML a failure message goes to.
            Output   = ($output | Out-String) -replace "$([char]27)\[[0-9;]*[A-Za-z]", ''
            Summary  = if (Test-Path $summary) { Get-Content -Raw $summary | ConvertFrom-Json } else { $null }
        }
    }
}

Describe 'Invoke-PesterSuite.ps1' {
    It 'loads *.CoreOnly.Tests.ps1 in the Core pass and counts tests Pester marks NotRun as skipped' {
        $r = Invoke-Runner -Edition Core -ExcludeTag Slow
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'OnlyCore\.CoreOnly\.Tests\.ps1'
        # Two shared tests and the Core-only one pass; the -Skip test and the excluded Slow test (NotRun) are skipped.
        $r.Summary.Passed | Should -Be 3
        $r.Summary.Failed | Should -Be 0
        $r.Summary.Skipped | Should -Be 2
    }

    It 'does not load *.CoreOnly.Tests.ps1 in the Desktop pass, so nothing is left NotRun' {
        $r = Invoke-Runner -Edition Desktop
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Not -Match 'OnlyCore'
        $r.Summary.Passed | Should -Be 3
        $r.Summary.Skipped | Should -Be 1
    }

    It 'fails when the filter selects no file' {
        $r = Invoke-Runner -Edition Core -Filter 'NoSuchFile'
        $r.ExitCode | Should -Not -Be 0
        $r.Summary.Failed | Should -Be 1
    }
}

Describe 'The real suite' {
    It 'marks Core-only tests by file name, not by a tag the Desktop pass would leave NotRun' {
        foreach ($file in Get-ChildItem $PSScriptRoot -Filter '*.Tests.ps1') {
            (Get-Content -Raw $file.FullName) | Should -Not -Match "-Tag [^\r\n{]*'CoreOnly'" -Because $file.Name
        }
        @(Get-ChildItem $PSScriptRoot -Filter '*.CoreOnly.Tests.ps1').Count | Should -BeGreaterThan 0
    }
}

# The lab lifecycle of build.ps1 -Task Test (tools/LabLifecycle.psm1), against a lab script that records what it is
# asked and keeps its state in a file: the real lab.sh takes minutes to start and is what the rest of the suite uses.
Describe 'The test command''s lab lifecycle' {
    BeforeAll {
        Import-Module (Join-Path $PSScriptRoot '../../tools/LabLifecycle.psm1') -Force
        $script:FakeLab = Join-Path $TestDrive 'lab.sh'
        Set-Content -Path $FakeLab -Value @'
#!/bin/bash
# $STATE exists while "the lab" runs; every call is appended to $CALLS; start fails when $FAIL_START exists.
dir=$(dirname "$0"); echo "$1" >> "$dir/calls"
case "$1" in
  status) [ -e "$dir/state" ] ;;
  start) [ -e "$dir/fail-start" ] && exit 1; touch "$dir/state" ;;
  stop) rm -f "$dir/state" ;;
esac
'@
        function script:Reset-FakeLab([switch] $Running, [switch] $FailStart) {
            Remove-Item (Join-Path $TestDrive 'calls'), (Join-Path $TestDrive 'state'), (Join-Path $TestDrive 'fail-start') -ErrorAction SilentlyContinue
            if ($Running) { $null = New-Item (Join-Path $TestDrive 'state') }
            if ($FailStart) { $null = New-Item (Join-Path $TestDrive 'fail-start') }
        }
        function script:Get-Calls { @(Get-Content (Join-Path $TestDrive 'calls')) }
        function script:Test-FakeLabUp { Test-Path (Join-Path $TestDrive 'state') }
    }

    It 'stops the lab it started when the tests end, and returns what the tests returned' {
        Reset-FakeLab
        $r = Invoke-WithLab -LabScript $FakeLab -Body { param($up) "ran, lab up: $up" } 6> $null
        $r | Should -Be 'ran, lab up: True'
        Get-Calls | Should -Be @('status', 'start', 'stop')
        Test-FakeLabUp | Should -BeFalse
    }

    It 'stops it also when the tests throw' {
        Reset-FakeLab
        { Invoke-WithLab -LabScript $FakeLab -Body { throw 'boom' } 6> $null } | Should -Throw 'boom'
        Get-Calls | Should -Be @('status', 'start', 'stop')
    }

    It 'keeps it with -KeepLab' {
        Reset-FakeLab
        $null = Invoke-WithLab -LabScript $FakeLab -KeepLab -Body { 1 } 6> $null
        Get-Calls | Should -Be @('status', 'start')
        Test-FakeLabUp | Should -BeTrue
    }

    It 'leaves alone a lab that was running before' {
        Reset-FakeLab -Running
        $null = Invoke-WithLab -LabScript $FakeLab -Body { 1 } 6> $null
        Get-Calls | Should -Be @('status', 'start')
        Test-FakeLabUp | Should -BeTrue
    }

    It 'tells the tests the lab is down when it does not start, and stops nothing' {
        Reset-FakeLab -FailStart
        $r = Invoke-WithLab -LabScript $FakeLab -Body { param($up) $up } 6> $null
        $r | Should -BeFalse
        Get-Calls | Should -Be @('status', 'start')
    }

    It 'is what build.ps1 -Task Test uses' {
        $build = Get-Content -Raw (Join-Path $PSScriptRoot '../../build.ps1')
        $build | Should -Match 'Invoke-WithLab -LabScript \(Get-LabScript\) -KeepLab:\$KeepLab'
    }
}
