# Resolve-HopSecurity domain mode against the lab: every level and every delivery risk (SPEC §9, §1.7, §2.2/2.4, §7.3).
# Expectations come from the zone files (tests/lab/zones/*.zone), the listeners (tests/lab/smtp/*.list) and the policies
# (tests/lab/https) — not from running the cmdlet.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    $script:Cases = @(
        # NoService: null MX, no MX and no address, NXDOMAIN.
        @{ Domain = 'nullmx.test'; Rows = @(@{ MxHost = ''; Level = 'NoService'; Encrypted = $false; Authenticated = $false; Risks = @() }); Codes = @('Hop.NoService') }
        @{ Domain = 'no-mail.test'; Rows = @(@{ MxHost = ''; Level = 'NoService'; Encrypted = $false; Authenticated = $false; Risks = @() }); Codes = @('Hop.NoService') }
        @{ Domain = 'missing.test'; Rows = @(@{ MxHost = ''; Level = 'NoService'; Encrypted = $false; Authenticated = $false; Risks = @() }); Codes = @('Hop.NoService') }
        # Unreachable: MX lookup fails (bogus zone), MX host refuses connections, MX host has no address.
        @{ Domain = 'bogus.test'; Rows = @(@{ MxHost = ''; Level = 'Unreachable'; Encrypted = $false; Authenticated = $false; Risks = @('Mx.LookupFailed') }); Codes = @('Hop.DomainUnreachable') }
        @{ Domain = 'unreachable.hop.test'; Rows = @(@{ MxHost = 'refused.mx.smtp.test'; Level = 'Unreachable'; Encrypted = $false; Authenticated = $false; Risks = @() }); Codes = @('Hop.HostUnreachable') }
        @{ Domain = 'no-address.hop.test'; Rows = @(@{ MxHost = 'no-address.mx.smtp.test'; Level = 'Unreachable'; Encrypted = $false; Authenticated = $false; Risks = @() }); Codes = @('Hop.HostUnreachable') }
        # Cleartext: the MX offers no STARTTLS.
        @{ Domain = 'cleartext.hop.test'; Rows = @(@{ MxHost = 'no-starttls.mx.smtp.test'; Level = 'Cleartext'; Encrypted = $false; Authenticated = $false; Risks = @() }); Codes = @('Hop.Cleartext') }
        # OpportunisticTls: TLS without a policy (two MX hosts in preference order), and a cleartext backup MX.
        @{ Domain = 'secure.test'; Rows = @(
                @{ MxHost = 'mx1.secure.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @() }
                @{ MxHost = 'mx2.secure.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @() }); Codes = @('Hop.OpportunisticTlsOnly') }
        @{ Domain = 'backup-cleartext.hop.test'; Rows = @(
                @{ MxHost = 'mx1.secure.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @() }
                @{ MxHost = 'no-starttls.mx.smtp.test'; Level = 'Cleartext'; Encrypted = $false; Authenticated = $false; Risks = @() }); Codes = @('Hop.Cleartext', 'Hop.OpportunisticTlsOnly') }
        # MtaStsTesting and MtaStsEnforced.
        @{ Domain = 'sts-testing.test'; Rows = @(@{ MxHost = 'mx1.sts-testing.test'; Level = 'MtaStsTesting'; Encrypted = $true; Authenticated = $false; Risks = @() }); Codes = @('Hop.MtaStsTestingOnly') }
        @{ Domain = 'sts-enforce.test'; Rows = @(@{ MxHost = 'mx1.sts-enforce.test'; Level = 'MtaStsEnforced'; Encrypted = $true; Authenticated = $true; Risks = @() }); Codes = @('Hop.MtaStsEnforced') }
        # Delivery risks of MTA-STS enforce: an MX not covered, a wrong certificate, no STARTTLS, no address.
        @{ Domain = 'sts-uncovered.test'; Rows = @(
                @{ MxHost = 'mx1.sts-uncovered.test'; Level = 'MtaStsEnforced'; Encrypted = $true; Authenticated = $true; Risks = @() }
                @{ MxHost = 'mx2.sts-uncovered.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @('MtaSts.MxNotCovered') }); Codes = @() }
        @{ Domain = 'sts-badmxcert.test'; Rows = @(@{ MxHost = 'mx1.sts-badmxcert.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @('MtaSts.CertificateInvalid') }); Codes = @() }
        @{ Domain = 'sts-nostarttls.hop.test'; Rows = @(@{ MxHost = 'no-starttls.mx.smtp.test'; Level = 'Cleartext'; Encrypted = $false; Authenticated = $false; Risks = @('MtaSts.MxStartTlsFailed') }); Codes = @() }
        # DANE (tests/lab/zones/dane.test.zone hosts): authenticated under a signed MX RRset; failures are delivery risks.
        @{ Domain = 'dane.test'; Rows = @(
                @{ MxHost = 'ee.dane.test'; Level = 'DaneAuthenticated'; Encrypted = $true; Authenticated = $true; Risks = @() }
                @{ MxHost = 'ta.dane.test'; Level = 'DaneAuthenticated'; Encrypted = $true; Authenticated = $true; Risks = @() }); Codes = @('Hop.DaneAuthenticated') }
        @{ Domain = 'dane-ee.hop.test'; Rows = @(@{ MxHost = 'ee.dane.test'; Level = 'DaneAuthenticated'; Encrypted = $true; Authenticated = $true; Risks = @() }); Codes = @('Hop.DaneAuthenticated') }
        @{ Domain = 'dane-mismatch.hop.test'; Rows = @(@{ MxHost = 'mismatch.dane.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @('Dane.NoMatchingRecord') }); Codes = @() }
        @{ Domain = 'dane-nostarttls.hop.test'; Rows = @(@{ MxHost = 'no-starttls.dane.test'; Level = 'Cleartext'; Encrypted = $false; Authenticated = $false; Risks = @('Dane.TlsRequiredButFailed') }); Codes = @('Hop.Cleartext') }
        @{ Domain = 'dane-bogus-tlsa.hop.test'; Rows = @(@{ MxHost = 'bogus-tlsa.dane.test'; Level = 'Unreachable'; Encrypted = $true; Authenticated = $false; Risks = @('Dane.TlsaLookupFailed') }); Codes = @('Hop.HostUnreachable') }
        # DANE fails while MTA-STS enforce passes: MTA-STS never overrides a failing DANE validation (RFC 8461 §2).
        @{ Domain = 'dane-sts.hop.test'; Rows = @(@{ MxHost = 'mismatch.dane.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @('Dane.NoMatchingRecord') }); Codes = @('Hop.DaneFailureNotOverridden') }
        # TLSA in an unsigned zone: DANE does not apply. A secure DANE host behind an unsigned MX RRset: not binding.
        @{ Domain = 'dane-insecure.test'; Rows = @(@{ MxHost = 'mx.dane-insecure.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @() }); Codes = @('Hop.OpportunisticTlsOnly') }
        @{ Domain = 'to-secure.dane-insecure.test'; Rows = @(@{ MxHost = 'ta.dane.test'; Level = 'OpportunisticTls'; Encrypted = $true; Authenticated = $false; Risks = @() }); Codes = @('Hop.DaneWithInsecureMx') }
        @{ Domain = 'sts-noaddr.hop.test'; Rows = @(@{ MxHost = 'no-address.mx.smtp.test'; Level = 'Unreachable'; Encrypted = $false; Authenticated = $false; Risks = @('MtaSts.MxNoAddress') }); Codes = @() }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
}

Describe 'Resolve-HopSecurity -Domain against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Domain>' -ForEach $Cases {
        $r = @(Resolve-HopSecurity -Domain $Domain -DnsServer $Lab.Resolver)
        $r.Count | Should -Be $Rows.Count
        for ($i = 0; $i -lt $Rows.Count; $i++) {
            $row = $Rows[$i]
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
        foreach ($code in $Codes) { $r.Findings.Code | Should -Contain $code }
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
        $r = Resolve-HopSecurity -Domain sts-enforce.test -DnsServer $Lab.Resolver -Verbose 4>&1
        $hop = $r | Where-Object { $_ -is [MailSecurity.HopSecurity] }
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
