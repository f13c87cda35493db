# Test-SmtpStartTls against the lab's SMTP tier (Postfix listeners, tests/lab/smtp/listeners.list) and hostile peers
# (tests/lab/smtp/peers.list): every outcome class, the key properties, the error model, -Quiet, the pipeline,
# serialization and concurrency (through the peers' connection counter, not a timing).
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    # Expected results, written from the lab definition (certs/smtp.list, smtp/listeners.list, smtp/peers.list).
    $script:HostCases = @(
        @{ HostName = 'valid.mx.smtp.test'; Outcome = 'Success'; Tls = $true; Pkix = $true; NameOk = $true; Chain = 2; Codes = @() }
        @{ HostName = 'expired.mx.smtp.test'; Outcome = 'CertificateInvalid'; Tls = $true; Pkix = $false; NameOk = $true; Chain = 2; Codes = @('Tls.CertificateExpired') }
        @{ HostName = 'wrong-name.mx.smtp.test'; Outcome = 'CertificateInvalid'; Tls = $true; Pkix = $true; NameOk = $false; Chain = 2; Codes = @('Tls.CertificateHostMismatch') }
        @{ HostName = 'self-signed.mx.smtp.test'; Outcome = 'CertificateInvalid'; Tls = $true; Pkix = $false; NameOk = $true; Chain = 1; Codes = @('Tls.SelfSigned') }
        @{ HostName = 'no-intermediate.mx.smtp.test'; Outcome = 'CertificateInvalid'; Tls = $true; Pkix = $false; NameOk = $true; Chain = 1; Codes = @('Tls.IncompleteChain') }
        @{ HostName = 'no-starttls.mx.smtp.test'; Outcome = 'NoStartTls'; Tls = $false; Pkix = $null; NameOk = $null; Chain = 0; Codes = @('Smtp.NoStartTls') }
        @{ HostName = 'tls12.mx.smtp.test'; Outcome = 'Success'; Tls = $true; Pkix = $true; NameOk = $true; Chain = 2; Codes = @() }
        @{ HostName = 'auth-before-tls.mx.smtp.test'; Outcome = 'Success'; Tls = $true; Pkix = $true; NameOk = $true; Chain = 2; Codes = @('Smtp.AuthBeforeTls') }
        @{ HostName = 'a.wild.smtp.test'; Outcome = 'Success'; Tls = $true; Pkix = $true; NameOk = $true; Chain = 2; Codes = @() }
        @{ HostName = 'x.y.wild.smtp.test'; Outcome = 'CertificateInvalid'; Tls = $true; Pkix = $true; NameOk = $false; Chain = 2; Codes = @('Tls.CertificateHostMismatch') }
        @{ HostName = 'cn-only.mx.smtp.test'; Outcome = 'Success'; Tls = $true; Pkix = $true; NameOk = $true; Chain = 2; Codes = @('Tls.MatchedByCommonNameOnly') }
        @{ HostName = 'legacy-tls.mx.smtp.test'; Outcome = 'Success'; Tls = $true; Pkix = $true; NameOk = $true; Chain = 2; Codes = @() }
        @{ HostName = 'requiretls.peer.smtp.test'; Outcome = 'Success'; Tls = $true; Pkix = $true; NameOk = $true; Chain = 2; Codes = @('Smtp.RequireTlsAdvertised') }
    )
    $script:FailureCases = @(
        @{ HostName = 'refused.mx.smtp.test'; Outcome = 'ConnectFailed'; Phase = 'Connect'; Code = 'Smtp.ConnectRefused' }
        @{ HostName = 'endless-banner.peer.smtp.test'; Outcome = 'ProtocolViolation'; Phase = 'Greeting'; Code = 'Smtp.ResponseLimitExceeded' }
        @{ HostName = 'huge-ehlo.peer.smtp.test'; Outcome = 'ProtocolViolation'; Phase = 'Ehlo'; Code = 'Smtp.ResponseLimitExceeded' }
        @{ HostName = 'slow-drip.peer.smtp.test'; Outcome = 'Timeout'; Phase = 'Greeting'; Code = 'Smtp.SessionTimeout' }
        @{ HostName = 'starttls-454.peer.smtp.test'; Outcome = 'StartTlsRejected'; Phase = 'StartTls'; Code = 'Smtp.StartTlsRejected' }
        @{ HostName = 'tls-abort.peer.smtp.test'; Outcome = 'HandshakeFailed'; Phase = 'TlsHandshake'; Code = 'Tls.HandshakeFailed' }
        @{ HostName = 'not-smtp.peer.smtp.test'; Outcome = 'ProtocolViolation'; Phase = 'Greeting'; Code = 'Smtp.ProtocolViolation' }
        @{ HostName = 'immediate-close.peer.smtp.test'; Outcome = 'ProtocolViolation'; Phase = 'Greeting'; Code = 'Smtp.ProtocolViolation' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
}

Describe 'Test-SmtpStartTls module surface' {
    It 'declares its output types' {
        $types = (Get-Command Test-SmtpStartTls).OutputType.Name
        $types | Should -Contain 'MailSecurity.SmtpTlsProbe'
        $types | Should -Contain 'System.Boolean'
    }

    It 'has real help with examples and every parameter described' {
        $help = Get-Help Test-SmtpStartTls -Full
        $help.Synopsis | Should -Not -Match '^\s*Test-SmtpStartTls'
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        foreach ($name in 'Domain', 'HostName', 'Port', 'ImplicitTls', 'HeloName', 'IncludeTranscript', 'Quiet', 'TlsVersion', 'ThrottleLimit', 'TimeoutSec', 'DnsServer') {
            ($help.parameters.parameter | Where-Object name -EQ $name).description.Text | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }

    It 'rejects a -HeloName that could inject commands with a terminating InvalidHeloName error' {
        { Test-SmtpStartTls -HostName valid.mx.smtp.test -HeloName "evil.test`r`nMAIL FROM:<x@y>" -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidHeloName,MailSecurity.Commands.TestSmtpStartTlsCommand'
    }

    It 'reports an invalid host name as a non-terminating InvalidDomainName error' {
        $errs = $null
        $out = Test-SmtpStartTls -HostName 'bad host', "ctl`u{1}.test" -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        @($errs).Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.TestSmtpStartTlsCommand'
        $errs[0].TargetObject | Should -Be 'bad host'
    }
}

Describe 'Test-SmtpStartTls against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<HostName>: <Outcome>' -ForEach $HostCases {
        $r = Test-SmtpStartTls -HostName $HostName -DnsServer $Lab.Resolver -TimeoutSec 5
        $r | Should -BeOfType 'MailSecurity.SmtpTlsProbe'
        $r.HostName | Should -Be $HostName
        $r.Port | Should -Be 25
        $r.Outcome | Should -Be $Outcome
        $r.TlsEstablished | Should -Be $Tls
        $r.PkixValid | Should -Be $Pkix
        $r.HostNameMatches | Should -Be $NameOk
        @($r.CertificateChain).Count | Should -Be $Chain
        foreach ($code in $Codes) { $r.Findings.Code | Should -Contain $code }
        if ($Tls) {
            $r.StartTlsOffered | Should -BeTrue
            $r.CapabilitiesBeforeTls | Should -Contain 'STARTTLS'
            $r.CapabilitiesAfterTls | Should -Not -Contain 'STARTTLS'
            $r.TlsProtocol | Should -BeIn 'Tls12', 'Tls13'
            $r.CipherSuite | Should -Match '^TLS_'
            # A summary for exports; the certificate itself through ToX509Certificate2().
            $r.CertificateChain[0] | Should -BeOfType ([MailSecurity.CertificateInfo])
            $r.CertificateChain[0].ToX509Certificate2().Thumbprint | Should -Be $r.CertificateChain[0].Thumbprint
        }
        if ($Outcome -eq 'Success') { $r.IsAuthenticatedTls | Should -BeTrue } else { $r.IsAuthenticatedTls | Should -BeFalse }
    }

    It '<HostName>: <Outcome> in phase <Phase>' -ForEach $FailureCases {
        $r = Test-SmtpStartTls -HostName $HostName -DnsServer $Lab.Resolver -TimeoutSec 2
        $r.Outcome | Should -Be $Outcome
        $r.FailurePhase | Should -Be $Phase
        $r.Findings.Code | Should -Contain $Code
        $r.Error | Should -Not -BeNullOrEmpty
        $r.TlsEstablished | Should -BeFalse
    }

    It 'gives the expiry in days: negative for the expired certificate, about 825 days for a fresh one' {
        $r = Test-SmtpStartTls -HostName expired.mx.smtp.test, valid.mx.smtp.test -DnsServer $Lab.Resolver
        # The lab signs expired certificates with a 2020 clock for 825 days (tests/lab/lib/10-pki.sh).
        $r[0].DaysUntilExpiry | Should -BeLessThan 0
        $r[0].PkixErrors -join ' ' | Should -Match 'expired'
        $r[1].DaysUntilExpiry | Should -BeIn 823, 824, 825
    }

    It 'negotiates TLS 1.2 with the TLS 1.2-only listener and reports the legacy and 1.3 probes' {
        $r = Test-SmtpStartTls -HostName tls12.mx.smtp.test -DnsServer $Lab.Resolver -TlsVersion Tls10, Tls11, Tls12, Tls13
        $r.TlsProtocol | Should -Be 'Tls12'
        $r.KeyExchange | Should -Match 'ECDHE'
        ($r.TlsVersions | Where-Object Version -EQ 'Tls12').Status | Should -Be 'Accepted'
        ($r.TlsVersions | Where-Object Version -EQ 'Tls13').Status | Should -Be 'Rejected'
        ($r.TlsVersions | Where-Object Version -EQ 'Tls10').Status | Should -BeIn 'Rejected', 'NotSupportedByPlatform'
        $r.AcceptedTlsVersions | Should -Be 'Tls12'
        $r.Findings.Code | Should -Contain 'Tls.NoTls13'
        $r.Findings.Code | Should -Not -Contain 'Tls.LegacyProtocol'
    }

    It 'finds TLS 1.0 and 1.1 accepted by the legacy listener, and refused by the TLS 1.2-only one, where the platform can offer them' {
        # Debian's OpenSSL will not offer TLS 1.0/1.1 at its default security level (NotSupportedByPlatform); a child
        # process with a permissive OPENSSL_CONF can, so both server answers (accepted, refused) are visible.
        Set-Content -Path TestDrive:/legacy.cnf -Value @(
            'openssl_conf = openssl_init', '[openssl_init]', 'ssl_conf = ssl_sect', '[ssl_sect]', 'system_default = system_default_sect',
            '[system_default_sect]', 'MinProtocol = TLSv1', 'CipherString = DEFAULT:@SECLEVEL=0')
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($env:MAILSECURITY_MODULE)'
Test-SmtpStartTls -HostName legacy-tls.mx.smtp.test, tls12.mx.smtp.test -DnsServer $($Lab.Resolver) -TlsVersion Tls10, Tls11 |
    ForEach-Object { [pscustomobject]@{ Host = `$_.HostName; Versions = @(`$_.TlsVersions | ForEach-Object { '{0}={1}' -f `$_.Version, `$_.Status }); Codes = @(`$_.Findings.Code) } } |
    ConvertTo-Json -Compress -Depth 3
"@
        $env:OPENSSL_CONF = (Resolve-Path TestDrive:/legacy.cnf).ProviderPath
        try { $out = & dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1 } finally { Remove-Item Env:OPENSSL_CONF }
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $r = ($out | Select-Object -Last 1) | ConvertFrom-Json
        $r[0].Host | Should -Be 'legacy-tls.mx.smtp.test'
        $r[0].Versions | Should -Be @('Tls10=Accepted', 'Tls11=Accepted')
        @($r[0].Codes | Where-Object { $_ -eq 'Tls.LegacyProtocol' }).Count | Should -Be 2
        $r[1].Versions | Should -Be @('Tls10=Rejected', 'Tls11=Rejected')
        $r[1].Codes | Should -Not -Contain 'Tls.LegacyProtocol'
    }

    # PkixValidator.TrustAnchors (given anchors only; another root is Untrusted) is internal machinery: its tests are in
    # xunit, tests/MailSecurity.Tests/Tls/PkixValidatorTests.cs (Accepts_a_complete_chain_to_the_anchor,
    # Reports_a_chain_that_ends_at_another_root_as_untrusted). The platform's trust (SSL_CERT_FILE) is what the cmdlets
    # use, and the lab cases above check it in both builds.

    It 'flags AUTH offered before TLS' {
        $r = Test-SmtpStartTls -HostName auth-before-tls.mx.smtp.test -DnsServer $Lab.Resolver
        $r.AuthBeforeTls | Should -BeTrue
        ($r.Findings | Where-Object Code -EQ 'Smtp.AuthBeforeTls').Severity | Should -Be 'Warning'
        (Test-SmtpStartTls -HostName valid.mx.smtp.test -DnsServer $Lab.Resolver).AuthBeforeTls | Should -BeFalse
    }

    It 'reads REQUIRETLS, SMTPUTF8, CHUNKING and SIZE from the session after TLS' {
        $r = Test-SmtpStartTls -HostName requiretls.peer.smtp.test -DnsServer $Lab.Resolver
        $r.RequireTlsAdvertised | Should -BeTrue
        $r.SmtpUtf8Advertised | Should -BeTrue
        $r.ChunkingAdvertised | Should -BeTrue
        $r.SizeLimit | Should -Be 52428800
        $r.CapabilitiesBeforeTls | Should -Not -Contain 'REQUIRETLS'
        $p = Test-SmtpStartTls -HostName valid.mx.smtp.test -DnsServer $Lab.Resolver
        $p.RequireTlsAdvertised | Should -BeFalse   # Postfix cannot advertise it
        $p.SizeLimit | Should -Be 10240000
    }

    It 'probes implicit TLS on port 465 with -ImplicitTls' {
        $r = Test-SmtpStartTls -HostName submission.mx.smtp.test -ImplicitTls -DnsServer $Lab.Resolver
        $r.Port | Should -Be 465
        $r.ImplicitTls | Should -BeTrue
        $r.Outcome | Should -Be 'Success'
        $r.StartTlsOffered | Should -BeFalse
        @($r.CapabilitiesBeforeTls).Count | Should -Be 0
        $r.CapabilitiesAfterTls | Should -Contain 'PIPELINING'
    }

    It 'times out a slow-drip server per -TimeoutSec' {
        $elapsed = Measure-Command { $script:r = Test-SmtpStartTls -HostName slow-drip.peer.smtp.test -DnsServer $Lab.Resolver -TimeoutSec 2 }
        $r.Outcome | Should -Be 'Timeout'
        $elapsed.TotalSeconds | Should -BeLessThan 6
    }

    It 'attaches a redacted transcript only with -IncludeTranscript, and never sends MAIL, RCPT or DATA' {
        (Test-SmtpStartTls -HostName valid.mx.smtp.test -DnsServer $Lab.Resolver).Transcript | Should -BeNullOrEmpty
        $r = Test-SmtpStartTls -HostName valid.mx.smtp.test -DnsServer $Lab.Resolver -IncludeTranscript -HeloName probe.example.org
        $client = @($r.Transcript | Where-Object Direction -EQ 'Client' | ForEach-Object { ($_.Text -split ' ')[0] })
        $client | Should -Be @('EHLO', 'STARTTLS', 'EHLO', 'QUIT')
        ($r.Transcript | Where-Object Direction -EQ 'Client')[0].Text | Should -Be 'EHLO probe.example.org'
        ($r.Transcript | Where-Object Direction -EQ 'Server')[0].Text | Should -Match '^220 '
        $r.Transcript.Text | Should -Contain '221 2.0.0 Bye'
    }

    It 'notes the TLS session in the transcript the way the result states it (TlsEstablished = True)' {
        $r = Test-SmtpStartTls -HostName valid.mx.smtp.test -DnsServer $Lab.Resolver -IncludeTranscript
        $r.TlsEstablished | Should -BeTrue
        $notes = @($r.Transcript | Where-Object Direction -EQ 'Note' | ForEach-Object Text)
        $notes | Should -Not -Contain 'TLS not established'
        # The handshake is noted before the first command inside TLS, and the negotiated version and cipher are named.
        $lines = @($r.Transcript)
        $handshake = [array]::FindIndex($lines, [Predicate[object]] { param($l) $l.Direction -eq 'Note' -and $l.Text -match '^TLS (handshake completed|established)' })
        $starttls = [array]::FindIndex($lines, [Predicate[object]] { param($l) $l.Direction -eq 'Client' -and $l.Text -eq 'STARTTLS' })
        $handshake | Should -BeGreaterThan $starttls
        ($lines[($handshake + 1)..($lines.Count - 1)] | Where-Object Direction -EQ 'Client')[0].Text | Should -Match '^EHLO '
        @($notes -match ('^TLS established: TLSv1\.3 ' + [regex]::Escape("$($r.CipherSuite)"))).Count | Should -Be 1
    }

    It 'says QUIT after a refused STARTTLS' {
        $r = Test-SmtpStartTls -HostName starttls-454.peer.smtp.test -DnsServer $Lab.Resolver -IncludeTranscript
        $r.StartTlsReply | Should -Match '^454 '
        ($r.Transcript | Where-Object Direction -EQ 'Client' | Select-Object -Last 1).Text | Should -Be 'QUIT'
    }

    # Domain mode behind both lab resolvers: TLS does not depend on DNSSEC, so the same hosts are probed with the same
    # outcomes; only a bogus zone differs, whose data a non-validating resolver passes on as if it were sound.
    It 'probes every MX host and every address of a domain, in MX order, behind the <_>' -ForEach 'Resolver', 'NonValidatingResolver' {
        $r = Test-SmtpStartTls -Domain multi.smtp.test -DnsServer $Lab.$_
        @($r).Count | Should -Be 4
        @($r.HostName) | Should -Be @('valid.mx.smtp.test', 'two-addresses.mx.smtp.test', 'two-addresses.mx.smtp.test', 'no-starttls.mx.smtp.test')
        @($r[1].Address, $r[2].Address) | Sort-Object | Should -Be @("$($Lab.Net).25.10", "$($Lab.Net).25.18")
        @($r.Outcome) | Should -Be @('Success', 'Success', 'Success', 'NoStartTls')
    }

    It 'reports a domain whose MX host has no address as a NoAddress error for that host, behind the <_>' -ForEach 'Resolver', 'NonValidatingResolver' {
        $errs = $null
        $r = Test-SmtpStartTls -Domain no-address.smtp.test -DnsServer $Lab.$_ -ErrorVariable errs -ErrorAction SilentlyContinue
        @($r).Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -Be 'NoAddress,MailSecurity.Commands.TestSmtpStartTlsCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'no-address.mx.smtp.test'
    }

    It 'reports a null MX as NoMailExchanger and a DNSSEC failure as MxLookupFailed, never as no MX' {
        $errs = $null
        $null = Test-SmtpStartTls -Domain nullmx.test, bogus.test -DnsServer $Lab.Resolver -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'NoMailExchanger,MailSecurity.Commands.TestSmtpStartTlsCommand'
        $errs[0].TargetObject | Should -Be 'nullmx.test'
        $errs[1].FullyQualifiedErrorId | Should -Be 'MxLookupFailed,MailSecurity.Commands.TestSmtpStartTlsCommand'
        $errs[1].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $errs[1].Exception.Message | Should -Match 'DNSSEC'
    }

    It 'behind a resolver that does not validate, probes the MX of a bogus zone as its data says (no DNSSEC, no failure)' {
        # tests/lab/zones/bogus.test.zone: MX 10 mx1, mx1 A $Net.25.1 (the lab-mx listener); the signatures are tampered.
        $errs = $null
        $r = Test-SmtpStartTls -Domain nullmx.test, bogus.test -DnsServer $Lab.NonValidatingResolver -ErrorVariable errs -ErrorAction SilentlyContinue
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'NoMailExchanger,MailSecurity.Commands.TestSmtpStartTlsCommand'
        $r.HostName | Should -Be 'mx1.bogus.test'
        $r.Address | Should -Be "$($Lab.Net).25.1"
        $r.TlsEstablished | Should -BeTrue
    }

    It 'reports a resolver that never answers as DnsTimeout' {
        $errs = $null
        $null = Test-SmtpStartTls -Domain smtp.test -DnsServer $Lab.BlackholeResolver -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'DnsTimeout,MailSecurity.Commands.TestSmtpStartTlsCommand'
        $errs[0].TargetObject | Should -Be 'smtp.test'
    }

    It 'returns one boolean per input with -Quiet (as Test-Connection -Quiet): true only when every address of it has authenticated TLS' {
        @(Test-SmtpStartTls -HostName valid.mx.smtp.test, tls12.mx.smtp.test -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($true, $true)
        @(Test-SmtpStartTls -HostName valid.mx.smtp.test, expired.mx.smtp.test -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($true, $false)
        # multi: valid.mx, two-addresses.mx (both addresses fine) and no-starttls.mx: one input, one answer.
        @(Test-SmtpStartTls -Domain multi.smtp.test -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($false)
        # no-address: its NoAddress error and a $false in its place; smtp.test's only MX is valid.mx.
        @('no-address.smtp.test', 'smtp.test' | Test-SmtpStartTls -DnsServer $Lab.Resolver -Quiet -ErrorAction SilentlyContinue) | Should -BeExactly @($false, $true)
    }

    It 'probes an address given directly, without SNI and with no name to match' {
        $r = Test-SmtpStartTls -HostName "[$($Lab.Net).25.10]" -DnsServer $Lab.Resolver
        $r.Address | Should -Be "$($Lab.Net).25.10"
        $r.ServerName | Should -BeNullOrEmpty
        $r.TlsEstablished | Should -BeTrue
        $r.PkixValid | Should -BeTrue
        $r.HostNameMatches | Should -BeFalse
        $r.Outcome | Should -Be 'CertificateInvalid'
        # The REQUIRETLS peer names the SNI it received in its EHLO reply inside TLS.
        $p = Test-SmtpStartTls -HostName "[$($Lab.Net).26.17]" -DnsServer $Lab.Resolver -IncludeTranscript
        $p.Transcript.Text | Should -Contain '250-requiretls.peer.smtp.test SNI=(none)'
        $n = Test-SmtpStartTls -HostName requiretls.peer.smtp.test -DnsServer $Lab.Resolver -IncludeTranscript
        $n.Transcript.Text | Should -Contain '250-requiretls.peer.smtp.test SNI=requiretls.peer.smtp.test'
    }

    It 'binds domains by value and hosts by property name (HostName, SmartHosts, DomainName)' {
        $a = 'smtp.test' | Test-SmtpStartTls -DnsServer $Lab.Resolver
        $a.HostName | Should -Be 'valid.mx.smtp.test'
        $b = [pscustomobject]@{ HostName = 'tls12.mx.smtp.test' } | Test-SmtpStartTls -DnsServer $Lab.Resolver
        $b.TlsProtocol | Should -Be 'Tls12'
        $c = [pscustomobject]@{ SmartHosts = @('valid.mx.smtp.test', 'no-starttls.mx.smtp.test') } | Test-SmtpStartTls -DnsServer $Lab.Resolver
        @($c.Outcome) | Should -Be @('Success', 'NoStartTls')
        $d = [pscustomobject]@{ DomainName = 'multi.smtp.test' } | Test-SmtpStartTls -DnsServer $Lab.Resolver
        @($d).Count | Should -Be 4
    }

    It 'keeps input order while probing concurrently' {
        $inputs = 'slow-drip.peer.smtp.test', 'valid.mx.smtp.test', 'no-starttls.mx.smtp.test', 'refused.mx.smtp.test'
        $r = Test-SmtpStartTls -HostName $inputs -DnsServer $Lab.Resolver -TimeoutSec 2
        @($r.HostName) | Should -Be $inputs
    }

    It 'opens the connections to 50 slow hosts at the same time (peer connection counter)' {
        $null = Send-LabPeerStatus 'RESET'
        $r = Test-SmtpStartTls -Domain many.smtp.test -DnsServer $Lab.Resolver -ThrottleLimit 64
        @($r).Count | Should -Be 50
        @($r | Where-Object Outcome -NE 'NoStartTls').Count | Should -Be 0
        $status = Send-LabPeerStatus 'GET'
        $status.slow.total | Should -Be 50
        # Each peer holds its connection for a second before its banner, so one-by-one probing would show 1 here; most
        # of the 50 at once shows they overlapped (a loaded machine may start the last few a little later).
        $status.slow.max | Should -BeGreaterOrEqual 25
    }

    It 'bounds concurrency by -ThrottleLimit' {
        $null = Send-LabPeerStatus 'RESET'
        $null = Test-SmtpStartTls -Domain many.smtp.test -DnsServer $Lab.Resolver -ThrottleLimit 10
        $status = Send-LabPeerStatus 'GET'
        $status.slow.total | Should -Be 50
        # A peer counts a connection until its handler returns, a moment after the client has its 221 and takes the next
        # slot: at most one lingering connection per slot, so never more than twice the limit, far below 50.
        $status.slow.max | Should -BeLessOrEqual 20
        $status.slow.max | Should -BeGreaterOrEqual 2
    }

    It 'stops within a second on Ctrl+C (StopProcessing)' {
        $stop = Measure-CmdletStop -Command 'Test-SmtpStartTls' -Parameters @{ HostName = @('slow-drip.peer.smtp.test'); DnsServer = $Lab.Resolver; TimeoutSec = 60 }
        $stop.StateBefore | Should -Be 'Running'
        $stop.StateAfter | Should -Be 'Stopped'
        $stop.StopTime.TotalSeconds | Should -BeLessThan 1
    }

    It 'produces objects that survive ConvertTo-Json, Export-Clixml and Export-Csv' {
        $r = Test-SmtpStartTls -HostName valid.mx.smtp.test, expired.mx.smtp.test -DnsServer $Lab.Resolver
        $json = $r | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue | ConvertFrom-Json
        $json[0].HostName | Should -Be 'valid.mx.smtp.test'
        $json[1].Findings[0].Code | Should -Not -BeNullOrEmpty
        $json[0].CapabilitiesAfterTls | Should -Contain 'PIPELINING'
        $r | Export-Clixml -Path TestDrive:/p.xml
        $back = Import-Clixml TestDrive:/p.xml
        [MailSecurity.SmtpTlsOutcome] $back[1].Outcome | Should -Be ([MailSecurity.SmtpTlsOutcome]::CertificateInvalid)
        $back[0].CertificateChain.Count | Should -Be 2
        $r | Export-Csv -Path TestDrive:/p.csv -NoTypeInformation
        $csv = Import-Csv TestDrive:/p.csv
        $csv[0].Outcome | Should -Be 'Success'
        $csv[0].PkixValid | Should -Be 'True'
        $csv[1].CertificateProblems | Should -Be 'Expired'
        $csv[1].WorstSeverity | Should -Be 'Error'
        $csv[0].CertificateNames | Should -Be 'valid.mx.smtp.test, two-addresses.mx.smtp.test'
    }
}
