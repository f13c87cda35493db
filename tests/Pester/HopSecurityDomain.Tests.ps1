# Resolve-HopSecurity domain mode against the lab: every level and every delivery risk (SPEC §9, §1.7, §2.2/2.4, §7.3).
# Expectations come from the zone files (tests/lab/zones/*.zone), the listeners (tests/lab/smtp/*.list) and the policies
# (tests/lab/https) — not from running the cmdlet.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    function Row([string] $MxHost, [string] $Level, [string[]] $Risks = @()) {
        # Encrypted, Authenticated and DowngradeResistant restate the level (SPEC §9).
        @{ MxHost = $MxHost; Level = $Level; Risks = $Risks
            Encrypted = $Level -in 'OpportunisticTls', 'MtaStsTesting', 'MtaStsEnforced', 'DaneAuthenticated'
            Authenticated = $Level -in 'MtaStsEnforced', 'DaneAuthenticated' }
    }
    # Validating: what a sender behind the lab's validating Unbound ($Net.53.2) gets. NonValidating: behind the Unbound that
    # passes signatures without validating ($Net.53.3), as most company resolvers do: DNSSEC is unknown, so no DANE (never
    # DaneAuthenticated, no DANE delivery risk), TLS and MTA-STS judged as usual, data of bogus zones taken as it comes, and
    # Dns.ResolverNotValidating said whenever a signed answer was seen. Nv holds the rows that differ; NvSigned = $false for
    # a domain whose every answer is unsigned (nothing to validate, so nothing to say).
    $script:Cases = @(
        # NoService: null MX, no MX and no address, NXDOMAIN, each with the MX finding Get-MailAuthRecords gives (one answer, one severity).
        @{ Domain = 'nullmx.test'; Rows = @(Row '' NoService); Codes = @('Hop.NoService', 'Mx.NullMx'); Worst = 'Info' }
        @{ Domain = 'no-mail.test'; Rows = @(Row '' NoService); Codes = @('Hop.NoService', 'Mx.NoMailService'); Worst = 'Error' }
        @{ Domain = 'missing.test'; Rows = @(Row '' NoService); Codes = @('Hop.NoService', 'Mx.DomainNotFound'); Worst = 'Error' }
        # Unreachable: MX lookup fails (bogus zone), MX host refuses connections, MX host has no address.
        @{ Domain = 'bogus.test'; Rows = @(Row '' Unreachable 'Mx.LookupFailed'); Codes = @('Hop.DomainUnreachable'); Worst = 'Critical'
            Nv = @(Row 'mx1.bogus.test' OpportunisticTls); NvCodes = @('Hop.OpportunisticTlsOnly') }
        @{ Domain = 'unreachable.hop.test'; Rows = @(Row 'refused.mx.smtp.test' Unreachable); Codes = @('Hop.HostUnreachable') }
        @{ Domain = 'no-address.hop.test'; Rows = @(Row 'no-address.mx.smtp.test' Unreachable); Codes = @('Hop.HostUnreachable') }
        # Cleartext: the MX offers no STARTTLS.
        @{ Domain = 'cleartext.hop.test'; Rows = @(Row 'no-starttls.mx.smtp.test' Cleartext); Codes = @('Hop.Cleartext') }
        # OpportunisticTls: TLS without a policy (two MX hosts in preference order), and a cleartext backup MX.
        @{ Domain = 'secure.test'; Rows = @((Row 'mx1.secure.test' OpportunisticTls), (Row 'mx2.secure.test' OpportunisticTls)); Codes = @('Hop.OpportunisticTlsOnly'); Worst = 'Warning' }
        @{ Domain = 'backup-cleartext.hop.test'; Rows = @((Row 'mx1.secure.test' OpportunisticTls), (Row 'no-starttls.mx.smtp.test' Cleartext)); Codes = @('Hop.Cleartext', 'Hop.OpportunisticTlsOnly') }
        # MtaStsTesting and MtaStsEnforced.
        @{ Domain = 'sts-testing.test'; Rows = @(Row 'mx1.sts-testing.test' MtaStsTesting); Codes = @('Hop.MtaStsTestingOnly') }
        @{ Domain = 'sts-enforce.test'; Rows = @(Row 'mx1.sts-enforce.test' MtaStsEnforced); Codes = @('Hop.MtaStsEnforced') }
        # An MTA-STS record whose policy cannot be fetched protects nothing, and says so at Get-MtaStsPolicy's severity.
        @{ Domain = 'sts-redirect.test'; Rows = @(Row 'mx1.sts-redirect.test' OpportunisticTls); Codes = @('MtaSts.PolicyRedirect', 'MtaSts.PolicyUnavailable', 'Hop.OpportunisticTlsOnly'); Worst = 'Error' }
        @{ Domain = 'sts-404.test'; Rows = @(Row 'mx1.sts-404.test' OpportunisticTls); Codes = @('MtaSts.PolicyHttpStatus', 'MtaSts.PolicyUnavailable'); Worst = 'Error' }
        # Delivery risks of MTA-STS enforce: an MX not covered, a wrong certificate, no STARTTLS, no address.
        @{ Domain = 'sts-uncovered.test'; Rows = @((Row 'mx1.sts-uncovered.test' MtaStsEnforced), (Row 'mx2.sts-uncovered.test' OpportunisticTls 'MtaSts.MxNotCovered')); Codes = @() }
        @{ Domain = 'sts-badmxcert.test'; Rows = @(Row 'mx1.sts-badmxcert.test' OpportunisticTls 'MtaSts.CertificateInvalid'); Codes = @() }
        @{ Domain = 'sts-nostarttls.hop.test'; Rows = @(Row 'no-starttls.mx.smtp.test' Cleartext 'MtaSts.MxStartTlsFailed'); Codes = @() }
        @{ Domain = 'sts-noaddr.hop.test'; Rows = @(Row 'no-address.mx.smtp.test' Unreachable 'MtaSts.MxNoAddress'); Codes = @() }
        # DANE (tests/lab/zones/dane.test.zone hosts): authenticated under a signed MX RRset; failures are delivery risks.
        @{ Domain = 'dane.test'; Rows = @((Row 'ee.dane.test' DaneAuthenticated), (Row 'ta.dane.test' DaneAuthenticated)); Codes = @('Hop.DaneAuthenticated', 'Hop.NoTlsRpt'); Worst = 'Warning'
            Nv = @((Row 'ee.dane.test' OpportunisticTls), (Row 'ta.dane.test' OpportunisticTls)); NvCodes = @('Hop.OpportunisticTlsOnly') }
        @{ Domain = 'dane-ee.hop.test'; Rows = @(Row 'ee.dane.test' DaneAuthenticated); Codes = @('Hop.DaneAuthenticated')
            Nv = @(Row 'ee.dane.test' OpportunisticTls); NvCodes = @() }
        @{ Domain = 'dane-mismatch.hop.test'; Rows = @(Row 'mismatch.dane.test' OpportunisticTls 'Dane.NoMatchingRecord'); Codes = @(); Worst = 'Critical'
            Nv = @(Row 'mismatch.dane.test' OpportunisticTls); NvCodes = @('Hop.OpportunisticTlsOnly') }
        # A DANE-TA record whose server certificate names another host: the same refusal as a record that matches nothing.
        @{ Domain = 'dane-ta-wrong-name.hop.test'; Rows = @(Row 'ta-wrong-name.dane.test' OpportunisticTls 'Dane.NameMismatch'); Codes = @(); Worst = 'Critical'
            Nv = @(Row 'ta-wrong-name.dane.test' OpportunisticTls); NvCodes = @('Hop.OpportunisticTlsOnly') }
        @{ Domain = 'dane-nostarttls.hop.test'; Rows = @(Row 'no-starttls.dane.test' Cleartext 'Dane.TlsRequiredButFailed'); Codes = @('Hop.Cleartext')
            Nv = @(Row 'no-starttls.dane.test' Cleartext); NvCodes = @('Hop.Cleartext') }
        # A bogus TLSA RRset under a signed MX: DANE senders treat the host as unreachable, so it is not "encrypted" either.
        @{ Domain = 'dane-bogus-tlsa.hop.test'; Rows = @(Row 'bogus-tlsa.dane.test' Unreachable 'Dane.TlsaLookupFailed'); Codes = @('Hop.HostUnreachable')
            Nv = @(Row 'bogus-tlsa.dane.test' OpportunisticTls); NvCodes = @('Hop.OpportunisticTlsOnly') }
        # DANE fails while MTA-STS enforce passes: MTA-STS never overrides a failing DANE validation (RFC 8461 §2). Without
        # DNSSEC only MTA-STS can be judged, and it passes.
        @{ Domain = 'dane-sts.hop.test'; Rows = @(Row 'mismatch.dane.test' OpportunisticTls 'Dane.NoMatchingRecord'); Codes = @('Hop.DaneFailureNotOverridden')
            Nv = @(Row 'mismatch.dane.test' MtaStsEnforced); NvCodes = @('Hop.MtaStsEnforced') }
        # TLSA in an unsigned zone: DANE does not apply. A secure DANE host behind an unsigned MX RRset: not binding.
        @{ Domain = 'dane-insecure.test'; Rows = @(Row 'mx.dane-insecure.test' OpportunisticTls); Codes = @('Hop.OpportunisticTlsOnly'); NvSigned = $false }
        @{ Domain = 'to-secure.dane-insecure.test'; Rows = @(Row 'ta.dane.test' OpportunisticTls); Codes = @('Hop.DaneWithInsecureMx')
            Nv = @(Row 'ta.dane.test' OpportunisticTls); NvCodes = @('Hop.OpportunisticTlsOnly') }
    )
    $script:ResolverCases = foreach ($c in $Cases) {
        @{ Domain = $c.Domain; Resolver = 'Resolver'; Expected = $c.Rows; ExpectedCodes = $c.Codes; Worst = $c['Worst']; SaysNotValidating = $false }
        @{ Domain = $c.Domain; Resolver = 'NonValidatingResolver'; Worst = $null
            Expected = if ($c.ContainsKey('Nv')) { $c.Nv } else { $c.Rows }
            ExpectedCodes = if ($c.ContainsKey('NvCodes')) { $c.NvCodes } else { $c.Codes }
            SaysNotValidating = -not ($c.ContainsKey('NvSigned') -and -not $c.NvSigned) }
    }
    $script:AllDomains = @{ Domains = @($Cases | ForEach-Object { $_.Domain }) }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
}

Describe 'Resolve-HopSecurity -Domain against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Domain> behind the <Resolver>' -ForEach $ResolverCases {
        $r = @(Resolve-HopSecurity -Domain $Domain -DnsServer $Lab.$Resolver)
        $Expected = @($Expected)
        $r.Count | Should -Be $Expected.Count
        for ($i = 0; $i -lt $Expected.Count; $i++) {
            $row = $Expected[$i]
            $r[$i] | Should -BeOfType ([MailSecurity.HopSecurity])
            $r[$i].Domain | Should -Be $Domain
            $r[$i].MxHost | Should -Be $row.MxHost
            $r[$i].Level | Should -Be $row.Level
            $r[$i].Encrypted | Should -Be $row.Encrypted
            $r[$i].Authenticated | Should -Be $row.Authenticated
            $r[$i].DowngradeResistant | Should -Be ($row.Level -eq 'DaneAuthenticated')
            @($r[$i].DeliveryRisks.Code | Sort-Object -Unique) | Should -Be @($row.Risks | Sort-Object -Unique)
            $r[$i].Reason | Should -Not -BeNullOrEmpty
        }
        foreach ($code in $ExpectedCodes) { $r.Findings.Code | Should -Contain $code }
        if ($Worst) { ($r | ForEach-Object WorstSeverity | Sort-Object -Descending | Select-Object -First 1) | Should -Be $Worst }
        if ($Resolver -eq 'NonValidatingResolver') {
            $r.Level | Should -Not -Contain 'DaneAuthenticated'
            if ($SaysNotValidating) { $r.Findings.Code | Should -Contain 'Dns.ResolverNotValidating' }
            else { $r.Findings.Code | Should -Not -Contain 'Dns.ResolverNotValidating' }
            $r.DeliveryRisks.Code | Where-Object { $_ -like 'Dane.*' } | Should -BeNullOrEmpty
        }
    }

    It 'tells no domain of the lab "Dns.ResolverNotValidating" behind the validating resolver' -ForEach $AllDomains {
        $r = Resolve-HopSecurity -Domain $Domains -DnsServer $Lab.Resolver
        $r.Findings.Code | Should -Not -Contain 'Dns.ResolverNotValidating'
    }

    It 'orders hosts by MX preference and gives their preference' {
        $r = Resolve-HopSecurity -Domain secure.test -DnsServer $Lab.Resolver
        $r.Preference | Should -Be @(10, 20)
    }

    It 'carries the evidence it was derived from' {
        $r = Resolve-HopSecurity -Domain sts-enforce.test -DnsServer $Lab.Resolver
        $r.MxDnssecStatus | Should -Be 'Secure'
        $r.MtaSts.Mode | Should -Be 'Enforce'
        $r.MtaSts.Covered | Should -BeTrue
        $r.MtaSts.CertificateValid | Should -BeTrue
        $r.Dane.Verdict | Should -Be 'NoTlsa'
        @($r.Probes).Count | Should -Be 1
        $r.Probes[0].HostName | Should -Be 'mx1.sts-enforce.test'
        $r.Probes[0].TlsEstablished | Should -BeTrue
        $r.Addresses | Should -Be @("$($Lab.Net).25.1")
        $r.TlsRptPresent | Should -BeTrue
    }

    It 'is REQUIRETLS-ready only with TLS, an authenticated MX, a valid certificate and REQUIRETLS advertised' {
        $ready = Resolve-HopSecurity -Domain requiretls.hop.test -DnsServer $Lab.Resolver
        $ready.RequireTlsReady | Should -BeTrue
        $ready.Findings.Code | Should -Contain 'Hop.RequireTlsReady'
        # Same signed MX, valid certificate, but Postfix does not advertise REQUIRETLS.
        $notAdvertised = Resolve-HopSecurity -Domain secure.test -DnsServer $Lab.Resolver
        $notAdvertised[0].RequireTlsReady | Should -BeFalse
        $notAdvertised[0].RequireTlsDetail | Should -Match 'REQUIRETLS is not advertised'
        # Unsigned MX RRset and no MTA-STS: the MX itself is not authenticated.
        $insecure = Resolve-HopSecurity -Domain insecure.test -DnsServer $Lab.Resolver
        $insecure.RequireTlsReady | Should -BeFalse
        $insecure.RequireTlsDetail | Should -Match 'neither by a DNSSEC-signed MX RRset nor by an MTA-STS policy'
    }

    It 'says when a policy exists but TLS-RPT does not' {
        (Resolve-HopSecurity -Domain sts-testing.test -DnsServer $Lab.Resolver).Findings.Code | Should -Contain 'Hop.NoTlsRpt'
        (Resolve-HopSecurity -Domain sts-enforce.test -DnsServer $Lab.Resolver).Findings.Code | Should -Not -Contain 'Hop.NoTlsRpt'
    }

    It 'reports an unreachable resolver as an error and the domain as Unreachable, within -TimeoutSec' {
        $errs = $null
        $r = Resolve-HopSecurity -Domain secure.test -DnsServer $Lab.BlackholeResolver -TimeoutSec 2 -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Level | Should -Be 'Unreachable'
        $errs[0].FullyQualifiedErrorId | Should -Be 'DnsTimeout,MailSecurity.Commands.ResolveHopSecurityCommand'
        $errs[0].TargetObject | Should -Be 'secure.test'
    }

    It 'keeps input order, binds by property name and carries on after a bad input' {
        $errs = $null
        $out = [pscustomobject]@{ DomainName = 'sts-enforce.test' }, [pscustomobject]@{ DomainName = 'bad name' }, [pscustomobject]@{ DomainName = 'nullmx.test' } |
            Resolve-HopSecurity -DnsServer $Lab.Resolver -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out.Domain) | Should -Be @('sts-enforce.test', 'nullmx.test')
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.ResolveHopSecurityCommand'
    }

    It 'opens one STARTTLS session per host and address, shared by MTA-STS and the verdict' {
        # Counted where it happens: Postfix logs each session's end with its command counts ($LabDir/smtp/postfix.log,
        # tests/lab/lib/30-smtp.sh). mx1.sts-enforce.test is the lab-mx-1 listener; nothing else talks to it meanwhile.
        $log = Join-Path $Lab.LabDir 'smtp/postfix.log'
        $sessions = { @(Get-Content $log | Where-Object { $_ -match 'lab/lab-mx-1/smtpd\[\d+\]: disconnect from .*starttls=1' }).Count }
        $before = & $sessions
        $r = Resolve-HopSecurity -Domain sts-enforce.test -DnsServer $Lab.Resolver
        $hop = $r | Where-Object { $_ -is [MailSecurity.HopSecurity] }
        # Postfix writes the line through postlogd: give it a moment, then make sure no second session follows.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((& $sessions) -eq $before -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Milliseconds 500
        ((& $sessions) - $before) | Should -Be 1
        @($hop.Probes).Count | Should -Be 1
        # The MTA-STS check reads the same probe: its per-MX TLS result agrees with the hop's.
        $hop.MtaSts.TlsOk | Should -Be $hop.Probes[0].TlsEstablished
    }

    It 'survives ConvertTo-Json, Export-Clixml and Export-Csv' {
        $r = Resolve-HopSecurity -Domain sts-uncovered.test -DnsServer $Lab.Resolver
        ($r | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue | ConvertFrom-Json)[1].DeliveryRiskCodes | Should -Be 'MtaSts.MxNotCovered'
        $r | Export-Clixml TestDrive:/h.xml
        [MailSecurity.HopSecurityLevel] (Import-Clixml TestDrive:/h.xml)[0].Level | Should -Be 'MtaStsEnforced'
        $r | Export-Csv TestDrive:/h.csv -NoTypeInformation
        $csv = Import-Csv TestDrive:/h.csv
        $csv[1].Level | Should -Be 'OpportunisticTls'
        $csv[1].DeliveryRiskCodes | Should -Be 'MtaSts.MxNotCovered'
        $csv[0].MtaStsMode | Should -Be 'Enforce'
    }
}
