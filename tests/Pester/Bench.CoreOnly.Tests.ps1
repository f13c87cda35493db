# Bench smoke test: tests/bench/Invoke-Bench.ps1 -Quick (small inputs) must keep working. It asserts the shape of
# out/bench/results.json and counts derived from the bench's generated zone data, never timings, except one physical
# lower bound: a lookup through the delay proxies cannot take less than the injected round-trip time.
# Core pass only (*.CoreOnly.Tests.ps1): the bench measures whichever build it is given, and once per test run is enough.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
}

Describe 'Bench smoke mode (-Quick)' -Tag 'Bench' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $root = Split-Path (Split-Path $PSScriptRoot)
        $script:OutDir = Join-Path $TestDrive 'bench'
        $pwsh = [Environment]::ProcessPath
        [string[]] $prefix = if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
        # A fresh process, as build.ps1 -Task Bench runs it.
        $script:Output = & $pwsh @prefix -NoProfile -NonInteractive -File (Join-Path $root 'tests/bench/Invoke-Bench.ps1') `
            -ModulePath $env:MAILSECURITY_MODULE -Quick -OutputPath $script:OutDir 2>&1
        $script:ExitCode = $LASTEXITCODE
        $json = Join-Path $script:OutDir 'results.json'
        $script:R = if (Test-Path $json) { Get-Content -Raw $json | ConvertFrom-Json } else { $null }
        $script:Rtt = 40
    }

    It 'finishes and writes results.json' {
        $script:ExitCode | Should -Be 0 -Because ($script:Output | Out-String)
        $script:R | Should -Not -BeNullOrEmpty
        $script:R.Schema | Should -Be 1
        $script:R.Quick | Should -BeTrue
        $script:R.RttMs | Should -Be $script:Rtt
        $script:R.Machine.Cores | Should -BeGreaterThan 0
        foreach ($key in 'Latency', 'Throughput', 'Memory', 'Import', 'Peers', 'Lab') {
            $script:R.PSObject.Properties.Name | Should -Contain $key
        }
    }

    It 'prints the table' {
        ($script:Output | Out-String) | Should -Match 'latency Get-MailAuthRecords'
        ($script:Output | Out-String) | Should -Match 'results\.json'
    }

    It 'states each goal of issue 16 with its measured figure and met or not met (shape only, never the verdict)' {
        $goals = @($script:R.Goals)
        @($goals.Goal | ForEach-Object { $_ -replace ' x\d+', '' }) | Should -Be @(
            'Get-MailAuthRecords, default throttle', 'Get-MailAuthRecords, -ThrottleLimit 64',
            'latency Resolve-HopSecurity benchlat.test', 'latency Get-MailAuthRecords benchlat.test', 'module import')
        foreach ($g in $goals) {
            $g.Target | Should -Not -BeNullOrEmpty
            $g.Met | Should -BeOfType [bool]
            $g.Measured | Should -Not -BeNullOrEmpty -Because "every goal is measured in the quick run too ($($g.Goal): $($g.Evidence))"
        }
        ($script:Output | Out-String) | Should -Match 'Goals \(issue 16'
    }

    It 'puts the delay proxies in front of the bench resolver' {
        $script:R.Lab.FrontNet | Should -Not -Be $script:R.Lab.Net
        $script:R.Lab.ProxiedUdp | Should -Contain "$($script:R.Lab.Net).53.2:53"
        $script:R.Lab.ProxiedTcp | Should -Contain "$($script:R.Lab.Net).53.2:53"
    }

    It 'measures Get-MailAuthRecords latency against the critical path, never below the injected delay' {
        $row = $script:R.Latency | Where-Object Command -EQ 'Get-MailAuthRecords'
        $row.Available | Should -BeTrue
        $row.CriticalPathRoundTrips | Should -BeGreaterOrEqual 1
        @($row.WallMs).Count | Should -Be 3
        # Physics, not performance: CriticalPathRoundTrips sequential round trips of 40 ms each cannot finish sooner.
        foreach ($ms in $row.WallMs) { $ms | Should -BeGreaterOrEqual ($row.CriticalPathRoundTrips * $script:Rtt) }
        $row.RatioToCriticalPath | Should -BeGreaterOrEqual 1
    }

    It 'reports measurements of commands that do not exist yet as not available, without numbers' {
        foreach ($row in @($script:R.Latency) + @($script:R.Throughput) + @($script:R.Peers)) {
            $row.PSObject.Properties.Name | Should -Contain 'Available'
            if (-not $row.Available) {
                $row.Reason | Should -Not -BeNullOrEmpty
                $row.PSObject.Properties.Name | Should -Not -Contain 'Ratio'
                $row.PSObject.Properties.Name | Should -Not -Contain 'DomainsPerSecond'
            }
        }
    }

    It 'runs the generated domains through Get-MailAuthRecords at both throttle limits, every one answered' {
        $rows = @($script:R.Throughput | Where-Object Command -EQ 'Get-MailAuthRecords')
        $rows.Count | Should -Be 2
        ($rows.ThrottleLimit | ForEach-Object { "$_" }) | Should -Be @('default', '64')
        foreach ($row in $rows) {
            $row.Available | Should -BeTrue
            $row.Domains | Should -Be 20
            $row.Results | Should -Be 20
            # Errors are counted, not required to be 0: a burst that overflows the resolver can make a domain time out,
            # which is what the bench is there to show (README, "Measured").
            $row.Errors | Should -BeOfType [long]
            $row.DomainsPerSecond | Should -BeGreaterThan 0
            $row.EffectiveThrottleLimit | Should -BeGreaterThan 0
        }
        $rows[1].EffectiveThrottleLimit | Should -Be 64
    }

    It 'counts DNS queries on the wire against the questions the generated data needs' {
        foreach ($row in @($script:R.Throughput | Where-Object Command -EQ 'Get-MailAuthRecords')) {
            # At least one MX question per domain (RFC 5321 §5.1); every part reported adds its own.
            $row.DnsQuestionsNeeded | Should -BeGreaterOrEqual 20
            $row.DnsDistinctQuestions | Should -BeGreaterOrEqual $row.DnsQuestionsNeeded
            $row.DnsQueriesSent | Should -BeGreaterOrEqual $row.DnsDistinctQuestions
            $row.DuplicateQueries | Should -Be ($row.DnsQueriesSent - $row.DnsDistinctQuestions)
        }
    }

    It 'counts the DNSSEC probe questions behind the non-validating resolver: one per zone cut, none for record checks' {
        # Issue 19. Counts from the bench zones: benchlat.test and bench-prov.test are signed zones under test., the
        # generated domains are unsigned; the DS walk asks each zone cut once per run (the lab refuses DS test.'s parent).
        $rows = @($script:R.DnssecProbes)
        $rows.Count | Should -Be 4
        foreach ($row in $rows) { $row.Available | Should -BeTrue; $row.Resolver | Should -Be 'non-validating' }
        foreach ($row in @($rows | Where-Object Command -EQ 'Get-MailAuthRecords')) { $row.DsQueries | Should -Be 0 }
        $latency = $rows | Where-Object { $_.Command -eq 'Resolve-HopSecurity' -and $_.Runs }
        $latency.Runs | Should -Be 4
        $latency.DsQueriesPerRun | Should -Be 2
        $bulk = $rows | Where-Object { $_.Command -eq 'Resolve-HopSecurity' -and $_.Domains }
        $bulk.Results | Should -BeGreaterOrEqual 20
        $bulk.DsQueries | Should -Be 2 -Because 'DS bench-prov.test and DS test, once for twenty domains'
    }

    It 'checks memory with ten times the input' {
        $m = $script:R.Memory
        $m.Small.Results | Should -Be 20
        $m.Large.Domains | Should -Be 200
        $m.Large.Results | Should -Be 200
        $m.InputGrowth | Should -Be 10
        $m.PeakRatio | Should -BeGreaterThan 0
        $m.LiveHeapGrowthInLargeRun | Should -BeGreaterThan 0 -Because 'the large run samples its live heap at 40% and 90% of its results'
        $m.Flat | Should -BeOfType [bool]
    }

    It 'measures module import in fresh processes' {
        $script:R.Import.Runs | Should -Be 3
        @($script:R.Import.ImportMs).Count | Should -Be 3
        $script:R.Import.MedianImportMs | Should -BeGreaterThan 0
        $script:R.Import.MedianBarePwshStartMs | Should -BeGreaterThan 0
    }

    It 'compares with dig on the same DNS questions (2 MX records per generated domain)' {
        $dig = $script:R.Peers | Where-Object Peer -Like 'dig*'
        $dig.Available | Should -BeTrue
        $dig.Domains | Should -Be 3
        $dig.OursResults | Should -Be 3
        $dig.PeerMxRecords | Should -Be 6
        # dig replays the distinct questions of our run, once each.
        $dig.PeerQueries | Should -BeGreaterOrEqual 3
        $dig.PeerQueries | Should -BeLessOrEqual $dig.OursQueries
        $dig.Ratio | Should -BeGreaterThan 0
    }

    It 'compares every peer case by case: both answers, agreement, per-case times, timeouts, steady state and process start' {
        # Shapes and counts only (issue 16 item 5): which answers agree, and the times, are what the bench measures.
        $names = @($script:R.Peers | ForEach-Object { '{0} vs {1}' -f $_.Peer, $_.Ours })
        foreach ($expected in 'posttls-finger -l secure vs Test-SmtpStartTls', 'posttls-finger -l dane vs Test-DaneTlsa',
            'pyspf (python3-spf) vs Test-SpfRecord', 'mailauth (npm) vs Test-SpfRecord', 'mailauth (npm) vs Get-MtaStsPolicy -SkipMxCheck',
            'mailauth (npm) vs Resolve-HopSecurity -Path (DKIM, ARC)') {
            $names | Should -Contain $expected
        }
        $rows = @($script:R.Peers | Where-Object { $_.Peer -notlike 'dig*' })
        foreach ($row in $rows) {
            $row.Available | Should -BeTrue -Because "$($row.Peer) vs $($row.Ours): $(if (-not $row.Available) { $row.Reason })"
            $row.Cases | Should -BeGreaterThan 0
            @($row.Answers).Count | Should -Be $row.Cases
            $row.Agree | Should -Be (@($row.Answers | Where-Object { $_.Ours -eq $_.Peer }).Count)
            @($row.Disagreements).Count | Should -Be ($row.Cases - $row.Agree)
            foreach ($a in $row.Answers) {
                $a.Case | Should -Not -BeNullOrEmpty
                $a.Ours | Should -Not -BeNullOrEmpty
                $a.Peer | Should -Not -BeNullOrEmpty
                $a.OursMs | Should -BeGreaterThan 0
                $a.PeerMs | Should -BeGreaterThan 0
                $a.OursTimedOut | Should -BeOfType [bool]
                $a.PeerTimedOut | Should -BeOfType [bool]
            }
            @($row.TimedOut).Count | Should -Be (@($row.Answers | Where-Object { $_.OursTimedOut -or $_.PeerTimedOut }).Count)
            $row.OursMaxMs | Should -BeGreaterOrEqual $row.OursMedianMs
            $row.PeerMaxMs | Should -BeGreaterOrEqual $row.PeerMedianMs
            $row.SteadyCases | Should -Be ($row.Cases - @($row.TimedOut).Count)
            $row.ProcessStart.Cases | Should -Be 2
            @($row.ProcessStart.OursMs).Count | Should -Be 2
            @($row.ProcessStart.PeerMs).Count | Should -Be 2
        }
        # The SPF rows are judged against the suite's accepted results as well.
        foreach ($row in @($rows | Where-Object Ours -EQ 'Test-SpfRecord')) {
            $row.Cases | Should -Be 20 -Because 'the quick run takes 20 of the 140 suite cases'
            $row.OursAsExpected | Should -BeLessOrEqual $row.Cases
            $row.PeerAsExpected | Should -BeLessOrEqual $row.Cases
        }
        ($script:Output | Out-String) | Should -Match 'agree \d+/\d+'
    }

    It 'runs Resolve-HopSecurity over the generated domains as JSON lines, one object per line, and samples memory' {
        $s = $script:R.Scale
        $s.Domains | Should -Be 200
        $s.DomainsAnswered | Should -Be 200
        # Two MX hosts per generated domain: one object each.
        $s.Results | Should -Be 400
        $lines = @(Get-Content $s.JsonLines)
        $lines.Count | Should -Be 400
        $first = $lines[0] | ConvertFrom-Json
        $first.Domain | Should -Be 'd00000.bulk.test'
        $first.MxHost | Should -Match '^mx[12]\.p0\.bench-prov\.test$'
        $first.Level | Should -BeOfType [string]
        @($s.Samples).Count | Should -BeGreaterThan 1
        $s.WorkingSetGrowth | Should -BeGreaterThan 0
        $s.CpuMsPerDomain | Should -BeGreaterThan 0
    }

    It 'counts what local DNSSEC validation adds behind the non-validating resolver: each zone''s DS and DNSKEY once per run' {
        # Issue 13: the generated domains live in one unsigned zone (bulk.test, an insecure delegation under test.) and
        # their MX hosts in one signed zone (bench-prov.test): local validation needs DNSKEY test (the anchor), DS and
        # DNSKEY bench-prov.test, DS bulk.test and nothing per domain. Counted on the wire at the resolver's proxy.
        $rows = @($script:R.LocalValidation)
        @($rows.DnssecValidation) | Should -Be @('Local', 'Auto')
        foreach ($row in $rows) {
            $row.Available | Should -BeTrue
            $row.Results | Should -BeGreaterOrEqual 20
            $row.EachZoneOnce | Should -BeTrue -Because "no DS or DNSKEY question is asked twice in a run ($($row.DnssecQuestions -join ', '))"
            # Local proves the unsigned bulk answers insecure (DS bulk.test: an insecure delegation); Auto takes unsigned
            # answers as the resolver gives them and first walks DS up from bench-prov.test (DS test) to find the
            # resolver not validating.
            $expected = if ($row.DnssecValidation -eq 'Local') { 'test DNSKEY', 'bench-prov.test DNSKEY', 'bench-prov.test DS', 'bulk.test DS' } else { 'test DNSKEY', 'bench-prov.test DNSKEY', 'bench-prov.test DS', 'test DS' }
            @($row.DnssecQuestions | Sort-Object) | Should -Be @($expected | Sort-Object)
            @($row.DnssecQuestions | Where-Object { $_ -like 'd0*' }).Count | Should -Be 0 -Because 'no generated domain costs a DS or DNSKEY question of its own'
            $row.PSObject.Properties.Name | Should -Contain 'ExtraQueriesPerDomain'
        }
    }
}
