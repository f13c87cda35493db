# Test-SpfRecord against the lab's SPF zone (tests/lab/zones/spf-lab.test.zone): check_host() results with the
# mechanism that decided, lookup counts, exp= explanations, the trace, errors, pipeline binding, -Quiet and serialization.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    $script:Cases = (Import-PowerShellDataFile (Join-Path $PSScriptRoot 'SpfRecord.cases.psd1')).Cases
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
}

Describe 'Test-SpfRecord metadata' {
    It 'declares both output types and documents every parameter' {
        $cmd = Get-Command Test-SpfRecord
        $cmd.OutputType.Name | Should -Contain 'MailSecurity.SpfCheckResult'
        $cmd.OutputType.Name | Should -Contain 'System.Boolean'
        $help = Get-Help Test-SpfRecord -Full
        $help.Synopsis | Should -Not -Match '^\s*Test-SpfRecord'
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        foreach ($p in 'Domain', 'IPAddress', 'Sender', 'HeloName', 'Quiet', 'DnsServer', 'TimeoutSec', 'ThrottleLimit') {
            ($help.parameters.parameter | Where-Object name -EQ $p).description.Text | Should -Not -BeNullOrEmpty -Because "-$p needs help"
        }
    }

    It 'rejects a malformed -DnsServer with a terminating InvalidDnsServer error' {
        { Test-SpfRecord -Domain good.spf-lab.test -IPAddress 192.0.2.1 -DnsServer 'not a server' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDnsServer,MailSecurity.Commands.TestSpfRecordCommand'
    }
}

Describe 'Test-SpfRecord check_host() results against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Domain> for <IPAddress>: <Result> (<Why>)' -ForEach $Cases {
        $p = @{ Domain = $Domain; IPAddress = $IPAddress; DnsServer = $Lab.Resolver }
        if ($_.Sender) { $p.Sender = $_.Sender }
        if ($_.Helo) { $p.HeloName = $_.Helo }
        $r = Test-SpfRecord @p
        $r | Should -BeOfType 'MailSecurity.SpfCheckResult'
        $r.Domain | Should -Be $Domain
        $r.Result | Should -Be $Result
        $r.MatchedMechanism | Should -Be $Matched
        $r.DnsLookupCount | Should -Be $Lookups
        $r.VoidLookupCount | Should -Be $Voids
        $r.Reason | Should -Not -BeNullOrEmpty
        $r.Trace.Count | Should -BeGreaterThan 0
        if ($Result -in 'PermError', 'TempError') { $r.Findings.Count | Should -BeGreaterThan 0 }
    }
}

Describe 'Test-SpfRecord details against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'expands the exp= explanation for a fail caused by a mechanism' {
        $r = Test-SpfRecord exp.spf-lab.test 198.18.0.1 -DnsServer $Lab.Resolver
        # explain.spf-lab.test: "%{i} is not one of %{d}'s designated mail servers." (RFC 7208 §6.2, §7.3)
        $r.Explanation | Should -BeExactly "198.18.0.1 is not one of exp.spf-lab.test's designated mail servers."
        $r.Findings | Should -BeNullOrEmpty
    }

    It 'ignores an exp= target that does not exist, with Spf.ExplanationIgnored' {
        $r = Test-SpfRecord expnone.spf-lab.test 198.18.0.1 -DnsServer $Lab.Resolver
        $r.Result | Should -Be 'Fail'
        $r.Explanation | Should -BeNullOrEmpty
        $r.Findings.Code | Should -Be 'Spf.ExplanationIgnored'
    }

    It 'does not fetch exp= when the result is not a fail' {
        $v = Test-SpfRecord exp.spf-lab.test 192.0.2.1 -DnsServer $Lab.Resolver -Verbose 4>&1
        ($v | Where-Object { $_ -is [MailSecurity.SpfCheckResult] }).Result | Should -Be 'Pass'
        @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'explain\.spf-lab\.test' }) | Should -BeNullOrEmpty
    }

    It 'names the domain whose record decided after a redirect' {
        $r = Test-SpfRecord redirect.spf-lab.test 198.18.0.1 -DnsServer $Lab.Resolver
        $r.MatchedDomain | Should -Be 'good.spf-lab.test'
        $r.Record | Should -Be 'v=spf1 redirect=good.spf-lab.test'
    }

    It 'traces every step, nested includes one level deeper' {
        $r = Test-SpfRecord good.spf-lab.test 198.18.0.25 -DnsServer $Lab.Resolver
        ($r.Trace | Where-Object Depth -EQ 0).Domain | Select-Object -Unique | Should -Be 'good.spf-lab.test'
        ($r.Trace | Where-Object Depth -EQ 1).Domain | Select-Object -Unique | Should -Be '_spf.provider.spf-lab.test'
        ($r.Trace | Where-Object Depth -EQ 2).Domain | Select-Object -Unique | Should -Be '_netblocks.provider.spf-lab.test'
        ($r.Trace | Where-Object Term -EQ 'a:relay.provider.spf-lab.test').Depth | Should -Be 2
        # Shown one step per line, indented two spaces per level; TraceText is the one-line CSV form, '>' per level.
        ($r.Trace | Out-String) | Should -Match '(?m)^    _netblocks\.provider\.spf-lab\.test \[a:relay\.provider\.spf-lab\.test\]: '
        $r.TraceText | Should -Match ' \| >> _netblocks\.provider\.spf-lab\.test \[a:relay\.provider\.spf-lab\.test\]: '
        $r.TraceText | Should -Not -Match '[\r\n]'
    }

    It 'evaluates an IPv4-mapped IPv6 address as IPv4 and accepts a bracketed address' {
        $r = Test-SpfRecord good.spf-lab.test '::ffff:192.0.2.10', '[2001:db8:25::7]' -DnsServer $Lab.Resolver
        $r[0].IPAddress | Should -Be '192.0.2.10'
        $r[0].MatchedMechanism | Should -Be 'ip4:192.0.2.0/24'
        $r[1].MatchedMechanism | Should -Be 'ip6:2001:db8:25::/48'
    }

    It 'normalises the domain: case, trailing dot, U-label' {
        (Test-SpfRecord 'GOOD.spf-lab.test.' 192.0.2.1 -DnsServer $Lab.Resolver).Domain | Should -Be 'good.spf-lab.test'
        $idn = Test-SpfRecord 'bücher.spf-lab.test' 192.0.2.1 -DnsServer $Lab.Resolver
        $idn.Domain | Should -Be 'xn--bcher-kva.spf-lab.test'
        $idn.Result | Should -Be 'Pass'
    }

    It 'gives None with Spf.DomainNotUsable for a single-label or malformed domain, without an error' {
        $errs = $null
        $r = Test-SpfRecord 'localhost', "bad`u{1}name.test" 192.0.2.1 -DnsServer $Lab.Resolver -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $r.Count | Should -Be 2
        $r | ForEach-Object { $_.Result | Should -Be 'None'; $_.Findings.Code | Should -Be 'Spf.DomainNotUsable' }
    }

    It 'stops an include loop and a 50-deep chain at the lookup limit, quickly' {
        $elapsed = Measure-Command { $script:r = Test-SpfRecord loop-a.spf-lab.test, chain01.spf-lab.test 198.18.0.1 -DnsServer $Lab.Resolver }
        $elapsed.TotalSeconds | Should -BeLessThan 15
        $r | ForEach-Object { $_.Result | Should -Be 'PermError'; $_.Findings.Code | Should -Be 'Spf.TooManyLookups' }
        $r[1].Reason | Should -Match "include:chain12\.spf-lab\.test' in chain11\.spf-lab\.test"
    }
}

Describe 'Test-SpfRecord errors, binding and output' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'reports a bad address as a non-terminating InvalidIPAddress error and carries on' {
        $errs = $null
        $r = Test-SpfRecord good.spf-lab.test '192.0.2', '192.0.2.1', 'fe80::1%eth0', 'mail.example.com' -DnsServer $Lab.Resolver -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 1
        $r.IPAddress | Should -Be '192.0.2.1'
        @($errs).Count | Should -Be 3
        foreach ($e in $errs) {
            $e.FullyQualifiedErrorId | Should -Be 'InvalidIPAddress,MailSecurity.Commands.TestSpfRecordCommand'
            $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $e.TargetObject | Should -Be 'good.spf-lab.test'
        }
    }

    It 'refuses a -Sender or -HeloName longer than RFC 5321 allows with a clear error per domain, and carries on' {
        # RFC 5321 §4.5.3.1: local-part <= 64 octets, address <= 254 (path 256 with <>), domain <= 255.
        $cases = @(
            @{ Sender = ('a' * 65) + '@good.spf-lab.test'; Id = 'InvalidSender'; Text = '64' }
            @{ Sender = 'a@' + (('b' * 60 + '.') * 5) + 'test'; Id = 'InvalidSender'; Text = '254' }
            @{ Sender = ('x.' * 100000) + '@good.spf-lab.test'; Id = 'InvalidSender'; Text = '254' }
            @{ Helo = ('h' * 63 + '.') * 5; Id = 'InvalidHeloName'; Text = '255' }
        )
        foreach ($c in $cases) {
            $errs = $null
            $p = @{ Domain = 'good.spf-lab.test', 'fail.spf-lab.test'; IPAddress = '192.0.2.10'; DnsServer = $Lab.Resolver }
            if ($c.Sender) { $p.Sender = $c.Sender } else { $p.HeloName = $c.Helo }
            $elapsed = Measure-Command { $script:r = Test-SpfRecord @p -ErrorVariable errs -ErrorAction SilentlyContinue }
            @($script:r).Count | Should -Be 0
            @($errs).Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -Be "$($c.Id),MailSecurity.Commands.TestSpfRecordCommand"
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[0].TargetObject | Should -Be 'good.spf-lab.test'
            $errs[1].TargetObject | Should -Be 'fail.spf-lab.test'
            $errs[0].Exception.Message | Should -Match "at most $($c.Text)"
            $errs[0].Exception.Message.Length | Should -BeLessThan 300
            $elapsed.TotalSeconds | Should -BeLessThan 5
        }
        # At the limits exactly, the evaluation runs.
        (Test-SpfRecord good.spf-lab.test 192.0.2.10 -Sender (('a' * 64) + '@good.spf-lab.test') -DnsServer $Lab.Resolver).Result | Should -Be 'Pass'
    }

    It 'refuses domain arguments longer than RFC 1035 allows with InvalidDomainName, quickly, whatever their size' {
        $huge = ('a' * 63 + '.') * 50000
        $errs = $null
        $elapsed = Measure-Command { $script:out = Get-MailAuthRecords -Domain $huge, (('a' * 63 + '.') * 4 + 'test') -DnsServer $Lab.Resolver -ErrorVariable errs -ErrorAction SilentlyContinue }
        @($script:out).Count | Should -Be 0
        @($errs).Count | Should -Be 2
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.GetMailAuthRecordsCommand' }
        $errs[0].Exception.Message | Should -Match 'at most 253 \(RFC 1035'
        $errs[0].Exception.Message.Length | Should -BeLessThan 300
        $elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It 'gives TempError with Spf.LookupFailed, not None, when the resolver never answers' {
        $elapsed = Measure-Command { $script:r = Test-SpfRecord good.spf-lab.test 192.0.2.1 -DnsServer $Lab.BlackholeResolver -TimeoutSec 2 }
        $elapsed.TotalSeconds | Should -BeLessThan 6
        $r.Result | Should -Be 'TempError'
        $r.Findings.Code | Should -Contain 'Spf.LookupFailed'
        $r.Findings.Code | Should -Not -Contain 'Spf.EvaluationTimeout'
    }

    It 'binds Domain, IPAddress, Sender and HeloName by property name, with the aliases Name, ClientIP and Helo' {
        $rows = @(
            [pscustomobject]@{ DomainName = 'good.spf-lab.test'; IPAddress = '192.0.2.1' }
            [pscustomobject]@{ Name = 'sender.spf-lab.test'; ClientIP = '192.0.2.1'; Sender = 'alice@sender.spf-lab.test' }
            [pscustomobject]@{ Domain = 'helo.spf-lab.test'; IP = '192.0.2.1'; Helo = 'mta1.example.net' }
        )
        $r = $rows | Test-SpfRecord -DnsServer $Lab.Resolver
        $r.Domain | Should -Be 'good.spf-lab.test', 'sender.spf-lab.test', 'helo.spf-lab.test'
        $r.Result | Should -Be 'Pass', 'Pass', 'Pass'
        $r[1].Sender | Should -Be 'alice@sender.spf-lab.test'
        $r[2].HeloName | Should -Be 'mta1.example.net'
        $r[0].Sender | Should -Be 'postmaster@good.spf-lab.test'
    }

    It 'writes one result per domain and address, in input order' {
        $r = 'softall.spf-lab.test', 'good.spf-lab.test' | Test-SpfRecord -IPAddress 198.18.0.1, 192.0.2.1 -DnsServer $Lab.Resolver
        @($r).Count | Should -Be 4
        ($r | ForEach-Object { "$($_.Domain) $($_.IPAddress) $($_.Result)" }) | Should -Be @(
            'softall.spf-lab.test 198.18.0.1 SoftFail', 'softall.spf-lab.test 192.0.2.1 Pass',
            'good.spf-lab.test 198.18.0.1 Fail', 'good.spf-lab.test 192.0.2.1 Pass')
    }

    It '-Quiet returns one boolean per evaluation, in input order (as Test-Connection -Quiet)' {
        $q = @(Test-SpfRecord good.spf-lab.test 192.0.2.1, 203.0.113.5 -DnsServer $Lab.Resolver -Quiet)
        $q | Should -BeExactly @($true, $true)
        # good: ip4:192.0.2.0/24 ... -all; softall: ip4:192.0.2.1 ~all (198.18.0.1 is SoftFail, not Pass).
        $q = @(Test-SpfRecord good.spf-lab.test, softall.spf-lab.test 192.0.2.1, 198.18.0.1 -DnsServer $Lab.Resolver -Quiet)
        foreach ($b in $q) { $b | Should -BeOfType [bool] }
        $q | Should -BeExactly @($true, $false, $true, $false)
        @(Test-SpfRecord tempfail.spf-lab.test 198.18.0.1 -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($false)
        # An address that is not one gives its error and a $false in its place.
        @(Test-SpfRecord good.spf-lab.test 192.0.2.1, 'not-an-ip' -DnsServer $Lab.Resolver -Quiet -ErrorAction SilentlyContinue) | Should -BeExactly @($true, $false)
    }

    It 'survives ConvertTo-Json, Export-Clixml and Export-Csv' {
        $r = Test-SpfRecord good.spf-lab.test 198.18.0.25 -DnsServer $Lab.Resolver
        $json = $r | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json.Result | Should -Be ([int][MailSecurity.SpfResult]::Pass)
        $json.Trace.Count | Should -Be $r.Trace.Count
        $r | Export-Clixml TestDrive:/spf.xml
        [MailSecurity.SpfResult] (Import-Clixml TestDrive:/spf.xml).Result | Should -Be 'Pass'
        $r | Export-Csv TestDrive:/spf.csv -NoTypeInformation
        $csv = Import-Csv TestDrive:/spf.csv
        $csv.Result | Should -Be 'Pass'
        $csv.MatchedMechanism | Should -Be 'include:_spf.provider.spf-lab.test'
        $csv.DnsLookupCount | Should -Be '5'
        $csv.TraceText | Should -Match 'relay\.provider\.spf-lab\.test'
    }

    It 'has a table view with the result, the mechanism and the counts' {
        $text = Test-SpfRecord good.spf-lab.test 192.0.2.1 -DnsServer $Lab.Resolver | Out-String -Width 200
        $text | Should -Match 'Domain\s+IPAddress\s+Result\s+MatchedMechanism\s+Lookups\s+Voids'
        $text | Should -Match 'good\.spf-lab\.test\s+192\.0\.2\.1\s+Pass\s+ip4:192\.0\.2\.0/24\s+0\s+0'
    }
}
