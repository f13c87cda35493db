# Issue 19: DNSSEC side probes never decide or delay a verdict that does not depend on DNSSEC. Two resolver fronts of
# the lab (test peers, tests/lab/smtp/peers.list) pass every question to the non-validating Unbound except DS
# questions: DsDroppingResolver never answers them, DsDelayingResolver answers them after 30 s. Through them, the
# record checks must give what the non-validating Unbound gives directly, in the same time class (no DNS timeout
# waited out), and DANE must say that its DNSSEC state could not be determined, within the timeout.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    $script:Fronts = @(@{ Front = 'DsDroppingResolver' }, @{ Front = 'DsDelayingResolver' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    # A verdict that waited for a DS probe through these fronts would take at least one timeout (the DS question is
    # never answered within it); one that did not wait takes what the same work takes through the clean resolver.
    $script:Timeout = 6
    $script:Quick = $Timeout / 2

    # Runs a command, returns its objects, its verbose messages and its wall time.
    function Invoke-Timed([scriptblock] $Command) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $all = @(& $Command 4>&1)
        $clock.Stop()
        [pscustomobject]@{
            Output  = @($all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
            Verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            Seconds = $clock.Elapsed.TotalSeconds
        }
    }

    # The flat columns a script reads from Get-MailAuthRecords, one string per report.
    function Get-ReportSummary($Report) {
        ($Report | Select-Object Domain, MxStatus, MxHosts, MxDnssec, SpfStatus, DmarcStatus, DmarcPolicy, MtaStsStatus,
            TlsRptStatus, BimiStatus, DkimSelectorsFound, WorstSeverity, FindingCodes | ConvertTo-Json -Compress)
    }
}

Describe 'Record verdicts never wait for a DNSSEC probe' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $script:Domains = 'auth-good.test', 'secure.test', 'island.test', 'insecure.test'
        $script:Ip = "$($Lab.Net).25.1"
        # The clean runs: the same non-validating Unbound, asked directly.
        $script:CleanSpf = Invoke-Timed { Test-SpfRecord -Domain auth-good.test -IPAddress $Ip, 192.0.2.99 -DnsServer $Lab.NonValidatingResolver -TimeoutSec $Timeout -Verbose }
        $script:CleanReports = Invoke-Timed { $Domains | Get-MailAuthRecords -DnsServer $Lab.NonValidatingResolver -TimeoutSec $Timeout -Verbose }
    }

    It 'the clean runs are quick and ask no DS question' {
        $CleanSpf.Seconds | Should -BeLessThan $Quick
        $CleanReports.Seconds | Should -BeLessThan $Quick
        $CleanSpf.Output.Result | Should -Be 'Pass', 'Fail'
        @($CleanReports.Output).Count | Should -Be $Domains.Count
        $CleanSpf.Verbose + $CleanReports.Verbose | Where-Object { $_ -match ' DS @' } | Should -BeNullOrEmpty
    }

    It 'Test-SpfRecord through <Front>: the same results, in the same time class, no ds-probe' -ForEach $Fronts {
        $run = Invoke-Timed { Test-SpfRecord -Domain auth-good.test -IPAddress $Ip, 192.0.2.99 -DnsServer $Lab.$Front -TimeoutSec $Timeout -Verbose }
        $run.Output.Result | Should -Be $CleanSpf.Output.Result
        $run.Output.MatchedMechanism | Should -Be $CleanSpf.Output.MatchedMechanism
        $run.Output.DnsLookupCount | Should -Be $CleanSpf.Output.DnsLookupCount
        $run.Seconds | Should -BeLessThan $Quick
        $run.Verbose | Where-Object { $_ -match '\[ds-probe\]' } | Should -BeNullOrEmpty
        @($run.Verbose | Where-Object { $_ -match '^DNS ' }).Count | Should -BeGreaterThan 0 -Because 'the verbose stream shows the queries that were asked'
    }

    It 'Get-MailAuthRecords (SPF, DMARC, MX, every record) through <Front>: the same reports, in the same time class, no ds-probe' -ForEach $Fronts {
        $run = Invoke-Timed { $Domains | Get-MailAuthRecords -DnsServer $Lab.$Front -TimeoutSec $Timeout -Verbose }
        @($run.Output).Count | Should -Be $Domains.Count
        for ($i = 0; $i -lt $Domains.Count; $i++) {
            Get-ReportSummary $run.Output[$i] | Should -Be (Get-ReportSummary $CleanReports.Output[$i])
        }
        $run.Seconds | Should -BeLessThan $Quick
        $run.Verbose | Where-Object { $_ -match '\[ds-probe\]' } | Should -BeNullOrEmpty
    }

    It 'a signed domain through <Front> keeps its DMARC policy and SPF verdict, and its MX DNSSEC state is Unvalidated, not an error' -ForEach $Fronts {
        $r = Get-MailAuthRecords -Domain auth-good.test -DnsServer $Lab.$Front -TimeoutSec $Timeout
        $r.DmarcStatus | Should -Be 'Valid'
        $r.DmarcPolicy | Should -Be 'reject'
        $r.SpfStatus | Should -Be 'Valid'
        $r.MxStatus | Should -Be 'Found'
        $r.MxDnssec | Should -Be 'Unvalidated'
        $r.Findings.Code | Should -Contain 'Mx.DnssecNotValidated'
        $r.Findings.Code | Should -Not -Contain 'Mx.LookupFailed'
        $r.Findings.Code | Should -Not -Contain 'Dns.DnssecProbeFailed'
    }
}

Describe 'DANE says when its DNSSEC state could not be determined' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'Test-DaneTlsa -Domain dane.test through <Front>: DnssecUndetermined, the probe named, within the timeout' -ForEach $Fronts {
        $run = Invoke-Timed { Test-DaneTlsa -Domain dane.test -DnsServer $Lab.$Front -TimeoutSec $Timeout -Verbose }
        @($run.Output).Count | Should -Be 2
        foreach ($r in $run.Output) {
            $r.Verdict | Should -Be 'DnssecUndetermined'
            $r.MxDnssecStatus | Should -Be 'Unvalidated'
            $f = @($r.Findings | Where-Object Code -EQ 'Dns.DnssecProbeFailed')
            $f.Count | Should -Be 1
            $f[0].Message | Should -Match 'DS (probe|question) for '
            $f[0].Severity | Should -Be ([MailSecurity.FindingCatalog]::Find('Dns.DnssecProbeFailed').Severity)
            $r.Findings.Code | Should -Not -Contain 'Dane.TlsaLookupFailed'
            $r.Addresses | Should -Not -BeNullOrEmpty -Because 'the host''s own answers are fine; only the DNSSEC state is unknown'
        }
        # The whole check ended within one probe budget (the timeout) plus the time of the answers themselves. (Its DS question
        # shows in -Verbose only when it completes, which may be after the budget: the query log records answers.)
        $run.Seconds | Should -BeLessThan ($Timeout + $Quick)
    }

    It 'does not fire through the non-validating resolver itself: ResolverNotValidating, after the DS walk shown in -Verbose' {
        $run = Invoke-Timed { Test-DaneTlsa -Domain dane.test -DnsServer $Lab.NonValidatingResolver -TimeoutSec $Timeout -Verbose }
        $r = @($run.Output)
        # The walk ran (the checks above see no such line because none was asked): DS dane.test, then DS test.
        @($run.Verbose | Where-Object { $_ -match '^DNS (dane\.test|test) DS @.*\[ds-probe\]$' }).Count | Should -Be 2
        $r.Count | Should -Be 2
        $r.Verdict | Sort-Object -Unique | Should -Be 'ResolverNotValidating'
        $r.Findings.Code | Should -Contain 'Dns.ResolverNotValidating'
        $r.Findings.Code | Should -Not -Contain 'Dns.DnssecProbeFailed'
    }

    It 'does not fire through the validating resolver: Valid' {
        $r = @(Test-DaneTlsa -Domain dane.test -DnsServer $Lab.Resolver -TimeoutSec $Timeout)
        $r.Verdict | Sort-Object -Unique | Should -Be 'Valid'
        $r.Findings.Code | Should -Not -Contain 'Dns.DnssecProbeFailed'
    }

    It 'Resolve-HopSecurity through <Front> rates the hop like the non-validating resolver, never Unreachable for it' -ForEach $Fronts {
        $clean = @(Resolve-HopSecurity -Domain sts-enforce.test -DnsServer $Lab.NonValidatingResolver -TimeoutSec $Timeout)
        $run = Invoke-Timed { Resolve-HopSecurity -Domain sts-enforce.test -DnsServer $Lab.$Front -TimeoutSec $Timeout }
        @($run.Output).Count | Should -Be $clean.Count
        for ($i = 0; $i -lt $clean.Count; $i++) {
            $run.Output[$i].Level | Should -Be $clean[$i].Level
            $run.Output[$i].Level | Should -Not -Be 'DaneAuthenticated'
            $run.Output[$i].Encrypted | Should -Be $clean[$i].Encrypted
        }
        $run.Seconds | Should -BeLessThan ($Timeout + $Quick)
    }
}
