# Test-DaneTlsa against the lab's DANE scenarios (tests/lab/zones/dane*.test.zone: signed, bogus and unsigned zones;
# Postfix listeners $Net.25.30-42 in tests/lab/smtp/listeners.list; certificates in tests/lab/certs/dane.list, with a
# private CA for DANE-TA): verdicts, matched record and depth, DNSSEC states, TLSA base domain, findings, per-address
# results, the error model, -Quiet, pipeline binding, views and serialization.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    # Expected results, written from the lab definition and RFC 7672 / RFC 7671 (SPEC section 2). K is the listener
    # ($Net.25.K); Record names the certificate and parameters of the record that must match, whose association data
    # the test computes itself from the lab PKI; Depth 0 is the server certificate, 1 its issuer.
    $script:HostCases = @(
        @{ Scenario = '3 1 1 match'; HostName = 'ee.dane.test'; K = 30; Verdict = 'Valid'; Record = @('dane-ee', 3, 1, 1); Depth = 0; Name = $null; Codes = @('Dane.Valid', 'Dane.SingleRecord') }
        @{ Scenario = '2 0 1 with the TA sent in the chain'; HostName = 'ta.dane.test'; K = 31; Verdict = 'Valid'; Record = @('dane-ca', 2, 0, 1); Depth = 1; Name = 'ta.dane.test'; Codes = @('Dane.Valid') }
        @{ Scenario = '2 1 1 (allowed, not recommended)'; HostName = 'ta-spki.dane.test'; K = 32; Verdict = 'Valid'; Record = @('dane-ca', 2, 1, 1); Depth = 1; Name = 'ta-spki.dane.test'; Codes = @('Dane.Valid', 'Dane.NoRecommendedRecord') }
        @{ Scenario = 'records that match nothing'; HostName = 'mismatch.dane.test'; K = 33; Verdict = 'NoMatch'; Record = $null; Depth = $null; Name = $null; Codes = @('Dane.NoMatchingRecord') }
        @{ Scenario = 'expired server certificate with matching 3 1 1'; HostName = 'expired-ee.dane.test'; K = 34; Verdict = 'Valid'; Record = @('dane-expired', 3, 1, 1); Depth = 0; Name = $null; Codes = @('Dane.Valid', 'Dane.EeCertificateExpired') }
        @{ Scenario = 'DANE-TA with the wrong host name'; HostName = 'ta-wrong-name.dane.test'; K = 35; Verdict = 'NoMatch'; Record = @('dane-ca', 2, 0, 1); Depth = 1; Name = $null; Codes = @('Dane.NameMismatch') }
        @{ Scenario = 'TLSA but no STARTTLS'; HostName = 'no-starttls.dane.test'; K = 36; Verdict = 'TlsFailed'; Record = $null; Depth = $null; Name = $null; Codes = @('Dane.TlsRequiredButFailed') }
        @{ Scenario = 'rollover pair, one matches'; HostName = 'rollover.dane.test'; K = 37; Verdict = 'Valid'; Record = @('dane-rollover-cur', 3, 1, 1); Depth = 0; Name = $null; Codes = @('Dane.Valid') }
        @{ Scenario = 'only PKIX usages'; HostName = 'pkix.dane.test'; K = 38; Verdict = 'AllRecordsUnusable'; Record = $null; Depth = $null; Name = $null; Codes = @('Dane.AllRecordsUnusable', 'Dane.PkixUsageInSmtp') }
        @{ Scenario = '2 0 1 but the TA is not sent'; HostName = 'ta-missing.dane.test'; K = 39; Verdict = 'NoMatch'; Record = $null; Depth = $null; Name = $null; Codes = @('Dane.NoMatchingRecord', 'Dane.TaNotInChain') }
        @{ Scenario = 'TLSA shared through a CNAME'; HostName = 'shared-tlsa.dane.test'; K = 42; Verdict = 'Valid'; Record = @('dane-ca', 2, 0, 1); Depth = 1; Name = 'shared-tlsa.dane.test'; Codes = @('Dane.Valid') }
    )
    # Domain mode behind both lab resolvers. Validating: the MX RRset's DNSSEC state and each host's verdict from the zones.
    # NonValidating: the signatures arrive without validation, so no DANE decision is possible (ResolverNotValidating,
    # no connection) wherever a signed answer is involved; unsigned zones stay Insecure; the bogus zone's data is taken
    # as it comes. Addresses are resolved in every case.
    $script:DomainCases = @(
        @{ Domain = 'dane.test'; Resolver = 'Resolver'; Hosts = @('ee.dane.test', 'ta.dane.test'); Mx = 'Secure'; Verdicts = @('Valid', 'Valid') }
        @{ Domain = 'dane.test'; Resolver = 'NonValidatingResolver'; Hosts = @('ee.dane.test', 'ta.dane.test'); Mx = 'ResolverNotValidating'; Verdicts = @('ResolverNotValidating', 'ResolverNotValidating') }
        @{ Domain = 'nexthop.dane.test'; Resolver = 'Resolver'; Hosts = @('mx.nexthop.dane.test'); Mx = 'Secure'; Verdicts = @('Valid') }
        @{ Domain = 'nexthop.dane.test'; Resolver = 'NonValidatingResolver'; Hosts = @('mx.nexthop.dane.test'); Mx = 'ResolverNotValidating'; Verdicts = @('ResolverNotValidating') }
        @{ Domain = 'dane-mismatch.hop.test'; Resolver = 'Resolver'; Hosts = @('mismatch.dane.test'); Mx = 'Secure'; Verdicts = @('NoMatch') }
        @{ Domain = 'dane-mismatch.hop.test'; Resolver = 'NonValidatingResolver'; Hosts = @('mismatch.dane.test'); Mx = 'ResolverNotValidating'; Verdicts = @('ResolverNotValidating') }
        @{ Domain = 'to-secure.dane-insecure.test'; Resolver = 'Resolver'; Hosts = @('ta.dane.test'); Mx = 'Insecure'; Verdicts = @('Valid') }
        @{ Domain = 'to-secure.dane-insecure.test'; Resolver = 'NonValidatingResolver'; Hosts = @('ta.dane.test'); Mx = 'Insecure'; Verdicts = @('ResolverNotValidating') }
        @{ Domain = 'to-insecure.dane.test'; Resolver = 'Resolver'; Hosts = @('mx.dane-insecure.test'); Mx = 'Secure'; Verdicts = @('Insecure') }
        @{ Domain = 'to-insecure.dane.test'; Resolver = 'NonValidatingResolver'; Hosts = @('mx.dane-insecure.test'); Mx = 'ResolverNotValidating'; Verdicts = @('ResolverNotValidating') }
        @{ Domain = 'dane-insecure.test'; Resolver = 'Resolver'; Hosts = @('mx.dane-insecure.test'); Mx = 'Insecure'; Verdicts = @('Insecure') }
        @{ Domain = 'dane-insecure.test'; Resolver = 'NonValidatingResolver'; Hosts = @('mx.dane-insecure.test'); Mx = 'Insecure'; Verdicts = @('Insecure') }
        @{ Domain = 'dane-bogus.test'; Resolver = 'NonValidatingResolver'; Hosts = @('mx.dane-bogus.test'); Mx = 'ResolverNotValidating'; Verdicts = @('ResolverNotValidating') }
    )
    # Hosts where DANE gives no authentication and no connection is made.
    $script:DnsCases = @(
        @{ Scenario = 'bogus TLSA RRset'; HostName = 'bogus-tlsa.dane.test'; Verdict = 'LookupFailed'; Address = 'Secure'; Tlsa = 'Bogus'; Code = 'Dane.TlsaLookupFailed' }
        @{ Scenario = 'host in a bogus zone'; HostName = 'mx.dane-bogus.test'; Verdict = 'LookupFailed'; Address = 'Bogus'; Tlsa = 'Unknown'; Code = 'Dane.AddressLookupFailed' }
        @{ Scenario = 'insecure zone with TLSA (not applicable)'; HostName = 'mx.dane-insecure.test'; Verdict = 'Insecure'; Address = 'Insecure'; Tlsa = 'Unknown'; Code = 'Dane.AddressInsecure' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    # The TLSA record a lab certificate gives, computed here with the BCL (RFC 6698 section 2.1), not by the module.
    function script:Get-TlsaText([string] $Certificate, [int] $Usage, [int] $Selector, [int] $MatchingType) {
        $cert = [Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $Lab.LabDir "pki/$Certificate.crt"))
        $data = if ($Selector -eq 0) { $cert.RawData } else { $cert.PublicKey.ExportSubjectPublicKeyInfo() }
        $digest = switch ($MatchingType) { 0 { $data } 1 { [Security.Cryptography.SHA256]::HashData($data) } 2 { [Security.Cryptography.SHA512]::HashData($data) } }
        '{0} {1} {2} {3}' -f $Usage, $Selector, $MatchingType, [Convert]::ToHexString($digest)
    }
}

Describe 'Test-DaneTlsa module surface' {
    It 'declares its output types' {
        $types = (Get-Command Test-DaneTlsa).OutputType.Name
        $types | Should -Contain 'MailSecurity.DaneResult'
        $types | Should -Contain 'System.Boolean'
    }

    It 'has real help with examples and every parameter described' {
        $help = Get-Help Test-DaneTlsa -Full
        $help.Synopsis | Should -Match 'TLSA'
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        foreach ($name in 'Domain', 'HostName', 'Port', 'ThrottleLimit', 'Quiet', 'TimeoutSec', 'DnsServer') {
            ($help.parameters.parameter | Where-Object name -EQ $name).description.Text | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }

    It 'has two parameter sets, Domain by default, with the documented pipeline bindings' {
        $cmd = Get-Command Test-DaneTlsa
        $cmd.DefaultParameterSet | Should -Be 'Domain'
        $domain = $cmd.Parameters['Domain']
        $domain.Aliases | Should -Contain 'DomainName'
        $domain.Aliases | Should -Contain 'Name'
        $domain.Attributes.Where({ $_ -is [Parameter] })[0].ValueFromPipeline | Should -BeTrue
        $cmd.Parameters['HostName'].Attributes.Where({ $_ -is [Parameter] })[0].ValueFromPipelineByPropertyName | Should -BeTrue
    }

    It 'reports invalid names as non-terminating InvalidDomainName errors, with the input as TargetObject' {
        $errs = $null
        $out = Test-DaneTlsa -Domain 'bad domain', "ctl`u{1}.test" -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        @($errs).Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.TestDaneTlsaCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'bad domain'
    }

    It 'rejects an IP address as -Domain with AddressLiteral' {
        $errs = $null
        $out = Test-DaneTlsa -Domain 192.0.2.1 -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -Be 'AddressLiteral,MailSecurity.Commands.TestDaneTlsaCommand'
        $errs[0].TargetObject | Should -Be '192.0.2.1'
    }
}

Describe 'Test-DaneTlsa against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Scenario> (<HostName>): <Verdict>' -ForEach $HostCases {
        $r = Test-DaneTlsa -HostName $HostName -DnsServer $Lab.Resolver -TimeoutSec 5
        $r | Should -BeOfType 'MailSecurity.DaneResult'
        $r.HostName | Should -Be $HostName
        $r.Domain | Should -BeNullOrEmpty
        $r.Port | Should -Be 25
        $r.Verdict | Should -Be $Verdict
        $r.ProbedAddresses | Should -Be @("$($Lab.Net).25.$K")
        # RFC 7672 section 2: addresses first, then TLSA at the base domain, both validated; SNI = the base domain.
        $r.AddressDnssecStatus | Should -Be 'Secure'
        $r.TlsaDnssecStatus | Should -Be 'Secure'
        $r.TlsaBaseDomain | Should -Be $HostName
        $r.TlsaName | Should -Be "_25._tcp.$HostName"
        $r.ServerName | Should -Be $HostName
        $r.MxDnssecStatus | Should -BeNullOrEmpty
        $r.TlsRequired | Should -BeTrue
        if ($Record) {
            $r.MatchedRecordText | Should -Be (Get-TlsaText @Record)
            $r.MatchedRecord.Usage | Should -Be ([MailSecurity.TlsaUsage] $Record[1])
            $r.MatchDepth | Should -Be $Depth
        } else {
            $r.MatchedRecord | Should -BeNullOrEmpty
            $r.MatchDepth | Should -BeNullOrEmpty
        }
        $r.MatchedName | Should -Be $Name
        foreach ($code in $Codes) { $r.Findings.Code | Should -Contain $code }
        $r.Authenticated | Should -Be ($Verdict -eq 'Valid')
        if ($Verdict -eq 'Valid') { $r.WorstSeverity | Should -BeIn 'Info', 'Warning' } else { $r.WorstSeverity | Should -BeIn 'Error', 'Critical', 'Warning' }
        $r.Explanation | Should -Not -BeNullOrEmpty
    }

    It '<Scenario> (<HostName>): <Verdict>, no connection' -ForEach $DnsCases {
        $r = Test-DaneTlsa -HostName $HostName -DnsServer $Lab.Resolver -TimeoutSec 5
        $r.Verdict | Should -Be $Verdict
        $r.AddressDnssecStatus | Should -Be $Address
        $r.TlsaDnssecStatus | Should -Be $Tlsa
        $r.Findings.Code | Should -Contain $Code
        $r.TlsStatus | Should -Be 'NotAttempted'
        @($r.ProbedAddresses).Count | Should -Be 0
        $r.TlsaBaseDomain | Should -BeNullOrEmpty
    }

    It 'says why a DANE-TA match is refused: the server certificate names another host' {
        $r = Test-DaneTlsa -HostName ta-wrong-name.dane.test -DnsServer $Lab.Resolver
        $r.ReferenceIdentifiers | Should -Be @('ta-wrong-name.dane.test')
        $r.CertificateChain[0].Subject | Should -Match 'CN=somewhere-else\.dane\.test'
        ($r.Findings | Where-Object Code -EQ 'Dane.NameMismatch').Severity | Should -Be 'Critical'
        $r.Explanation | Should -Match 'will not deliver'
    }

    It 'keeps the TLS commitment of a host without STARTTLS (RFC 7672 section 2.2)' {
        $r = Test-DaneTlsa -HostName no-starttls.dane.test -DnsServer $Lab.Resolver
        $r.TlsStatus | Should -Be 'StartTlsNotOffered'
        @($r.CertificateChain).Count | Should -Be 0
    }

    It 'lists both records of the rollover, only the current key matching' {
        $r = Test-DaneTlsa -HostName rollover.dane.test -DnsServer $Lab.Resolver
        $r.RecordCount | Should -Be 2
        $current = Get-TlsaText dane-rollover-cur 3 1 1
        $next = Get-TlsaText dane-rollover-next 3 1 1
        @($r.Records.Text) | Sort-Object | Should -Be (@($current, $next) | Sort-Object)
        ($r.RecordMatches | Where-Object { $_.Text -eq $current }).Outcome | Should -Be 'Matched'
        ($r.RecordMatches | Where-Object { $_.Text -eq $next }).Outcome | Should -Be 'NotMatched'
        # Both records are 3 1 1: one combination, which matches on its own (RFC 7671 section 8.4).
        $r.Findings.Code | Should -Not -Contain 'Dane.StaleRecord'
    }

    It 'classifies PKIX-only records as unusable for SMTP, after a TLS session' {
        $r = Test-DaneTlsa -HostName pkix.dane.test -DnsServer $Lab.Resolver
        $r.UsableRecordCount | Should -Be 0
        @($r.Records.UnusableReason | Sort-Object -Unique) | Should -Be @('PkixUsageInSmtp')
        @($r.Records.Parameters) | Sort-Object | Should -Be @('0 0 1', '1 1 1')
        $r.TlsStatus | Should -Be 'Established'
    }

    It 'follows a host CNAME: the expanded name is the TLSA base domain and the SNI' {
        $r = Test-DaneTlsa -HostName alias.dane.test -DnsServer $Lab.Resolver
        $r.Verdict | Should -Be 'Valid'
        $r.CandidateNames | Should -Be @('ta.dane.test', 'alias.dane.test')
        $r.TlsaBaseDomain | Should -Be 'ta.dane.test'
        $r.TlsaName | Should -Be '_25._tcp.ta.dane.test'
        $r.ServerName | Should -Be 'ta.dane.test'
        $r.MatchedName | Should -Be 'ta.dane.test'
        $r.ReferenceIdentifiers | Should -Be @('ta.dane.test', 'alias.dane.test')
    }

    It 'keeps the host as TLSA base domain when the TLSA name is a CNAME (RFC 7672 section 2.2.3)' {
        $r = Test-DaneTlsa -HostName shared-tlsa.dane.test -DnsServer $Lab.Resolver
        $r.TlsaBaseDomain | Should -Be 'shared-tlsa.dane.test'
        $r.TlsaCanonicalName | Should -Be '_25._tcp.ta.dane.test'
        $r.Findings.Code | Should -Not -Contain 'Dane.SharedEeRecord'   # the shared RRset is DANE-TA
    }

    It 'gives one result for addresses that agree and one per address when they differ' {
        $same = Test-DaneTlsa -HostName two-addresses.dane.test -DnsServer $Lab.Resolver
        @($same).Count | Should -Be 1
        $same.ProbedAddresses | Should -Be @("$($Lab.Net).25.30", "$($Lab.Net).25.41")
        $same.ProbedAddressList | Should -Be "$($Lab.Net).25.30, $($Lab.Net).25.41"
        $same.Verdict | Should -Be 'Valid'
        $split = Test-DaneTlsa -HostName split.dane.test -DnsServer $Lab.Resolver
        @($split).Count | Should -Be 2
        $split[0].ProbedAddresses | Should -Be @("$($Lab.Net).25.30")
        $split[0].Verdict | Should -Be 'Valid'
        $split[1].ProbedAddresses | Should -Be @("$($Lab.Net).25.33")
        $split[1].Verdict | Should -Be 'NoMatch'
        $split[1].CertificateChain[0].Subject | Should -Match 'CN=mismatch\.dane\.test'
        @($split.Addresses | Sort-Object -Unique).Count | Should -Be 2
    }

    It 'looks TLSA up at the given port: nothing is published for 2525, so no connection is made' {
        $r = Test-DaneTlsa -HostName ee.dane.test -Port 2525 -DnsServer $Lab.Resolver
        $r.Port | Should -Be 2525
        $r.TlsaName | Should -Be '_2525._tcp.ee.dane.test'
        $r.Verdict | Should -Be 'NoTlsa'
        $r.TlsaDnssecStatus | Should -Be 'Secure'
        $r.Findings.Code | Should -Contain 'Dane.NoTlsa'
        $r.TlsStatus | Should -Be 'NotAttempted'
    }

    It 'says DANE does not apply to an address given as a host' {
        $r = Test-DaneTlsa -HostName "[$($Lab.Net).25.30]" -DnsServer $Lab.Resolver
        $r.HostName | Should -Be "$($Lab.Net).25.30"
        $r.Verdict | Should -Be 'Insecure'
        $r.Findings.Code | Should -Contain 'Dane.NotApplicableToIpAddress'
    }

    It 'checks every MX host of a domain in MX order with the MX RRset state and the domain as reference identifier' {
        $r = Test-DaneTlsa -Domain dane.test -DnsServer $Lab.Resolver
        @($r).Count | Should -Be 2
        @($r.HostName) | Should -Be @('ee.dane.test', 'ta.dane.test')
        @($r.Domain | Sort-Object -Unique) | Should -Be @('dane.test')
        @($r.MxDnssecStatus | Sort-Object -Unique) | Should -Be @('Secure')
        @($r.Verdict | Sort-Object -Unique) | Should -Be @('Valid')
        $r[1].ReferenceIdentifiers | Should -Be @('ta.dane.test', 'dane.test')
        $r[1].MatchedRecordText | Should -Be (Get-TlsaText dane-ca 2 0 1)
    }

    It '-Domain <Domain> behind the <Resolver>: <Verdicts>' -ForEach $DomainCases {
        $r = @(Test-DaneTlsa -Domain $Domain -DnsServer $Lab.$Resolver)
        @($r.HostName) | Should -Be $Hosts
        @($r.Domain | Sort-Object -Unique) | Should -Be @($Domain)
        @($r.MxDnssecStatus | Sort-Object -Unique) | Should -Be @($Mx)
        @($r.Verdict) | Should -Be $Verdicts
        # The addresses are known whatever the DNSSEC state (RFC 7672 section 2.2.2 asks them first).
        foreach ($x in $r) { @($x.Addresses).Count | Should -BeGreaterThan 0 }
        if ($Resolver -eq 'NonValidatingResolver') {
            $r.Verdict | Should -Not -Contain 'Valid'
            foreach ($x in $r | Where-Object Verdict -EQ 'ResolverNotValidating') {
                $x.TlsStatus | Should -Be 'NotAttempted'
                $x.Findings.Code | Should -Contain 'Dns.ResolverNotValidating'
            }
        }
    }

    It 'accepts a DANE-TA certificate that names only the domain when the MX RRset is validated, and not for the host alone' {
        $viaMx = Test-DaneTlsa -Domain nexthop.dane.test -DnsServer $Lab.Resolver
        $viaMx.HostName | Should -Be 'mx.nexthop.dane.test'
        $viaMx.Verdict | Should -Be 'Valid'
        $viaMx.MatchedName | Should -Be 'nexthop.dane.test'
        $alone = Test-DaneTlsa -HostName mx.nexthop.dane.test -DnsServer $Lab.Resolver
        $alone.Verdict | Should -Be 'NoMatch'
        $alone.Findings.Code | Should -Contain 'Dane.NameMismatch'
    }

    It 'with an unsigned MX RRset, uses only the MX host name and says DANE is optional' {
        $r = Test-DaneTlsa -Domain to-secure.dane-insecure.test -DnsServer $Lab.Resolver
        $r.HostName | Should -Be 'ta.dane.test'
        $r.MxDnssecStatus | Should -Be 'Insecure'
        $r.Verdict | Should -Be 'Valid'
        $r.ReferenceIdentifiers | Should -Be @('ta.dane.test')
        $r.Findings.Code | Should -Contain 'Dane.TlsaWithInsecureMx'
        $i = Test-DaneTlsa -Domain dane-insecure.test -DnsServer $Lab.Resolver
        $i.MxDnssecStatus | Should -Be 'Insecure'
        $i.Verdict | Should -Be 'Insecure'
        $s = Test-DaneTlsa -Domain to-insecure.dane.test -DnsServer $Lab.Resolver
        $s.MxDnssecStatus | Should -Be 'Secure'
        $s.Verdict | Should -Be 'Insecure'
        $s.AddressDnssecStatus | Should -Be 'Insecure'
    }

    It 'reports a bogus MX RRset as MxLookupFailed and a null MX as NoMailExchanger, never as no TLSA' {
        $errs = $null
        $out = Test-DaneTlsa -Domain dane-bogus.test, nullmx.test -DnsServer $Lab.Resolver -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -Be 'MxLookupFailed,MailSecurity.Commands.TestDaneTlsaCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $errs[0].TargetObject | Should -Be 'dane-bogus.test'
        $errs[0].Exception.Message | Should -Match 'Bogus'
        $errs[1].FullyQualifiedErrorId | Should -Be 'NoMailExchanger,MailSecurity.Commands.TestDaneTlsaCommand'
        $errs[1].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[1].TargetObject | Should -Be 'nullmx.test'
    }

    It 'reports a resolver that never answers as DnsTimeout' {
        $errs = $null
        $null = Test-DaneTlsa -Domain dane.test -DnsServer $Lab.BlackholeResolver -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'DnsTimeout,MailSecurity.Commands.TestDaneTlsaCommand'
        $errs[0].TargetObject | Should -Be 'dane.test'
    }

    It 'says ResolverNotValidating through a resolver that does not validate, never Valid' {
        $r = Test-DaneTlsa -HostName ee.dane.test -DnsServer $Lab.NonValidatingResolver
        $r.Verdict | Should -Be 'ResolverNotValidating'
        $r.TlsStatus | Should -Be 'NotAttempted'
    }

    It 'returns one boolean per input with -Quiet (as Test-Connection -Quiet): true only when every host of it validates through a validated MX' {
        @(Test-DaneTlsa -HostName ee.dane.test, ta.dane.test, expired-ee.dane.test -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($true, $true, $true)
        @(Test-DaneTlsa -HostName ee.dane.test, mismatch.dane.test -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($true, $false)
        # split: one address matches, the other does not; one input, one answer.
        @(Test-DaneTlsa -HostName split.dane.test -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($false)
        @(Test-DaneTlsa -Domain dane.test, nexthop.dane.test -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($true, $true)
        @(Test-DaneTlsa -Domain to-secure.dane-insecure.test -DnsServer $Lab.Resolver -Quiet) | Should -BeExactly @($false)
        # nullmx.test has no mail server: its error, and a $false in its place.
        @('dane.test', 'nullmx.test', 'nexthop.dane.test' | Test-DaneTlsa -DnsServer $Lab.Resolver -Quiet -ErrorAction SilentlyContinue) | Should -BeExactly @($true, $false, $true)
    }

    It 'binds domains by value and by property name, and hosts by property name, keeping input order' {
        $a = 'nexthop.dane.test' | Test-DaneTlsa -DnsServer $Lab.Resolver
        $a.Domain | Should -Be 'nexthop.dane.test'
        $b = [pscustomobject]@{ DomainName = 'dane.test' } | Test-DaneTlsa -DnsServer $Lab.Resolver
        @($b.HostName) | Should -Be @('ee.dane.test', 'ta.dane.test')
        $c = [pscustomobject]@{ Name = 'nexthop.dane.test' } | Test-DaneTlsa -DnsServer $Lab.Resolver
        $c.MatchedName | Should -Be 'nexthop.dane.test'
        $hosts = 'no-starttls.dane.test', 'ee.dane.test', 'bogus-tlsa.dane.test', 'ta.dane.test'
        $d = $hosts | ForEach-Object { [pscustomobject]@{ HostName = $_ } } | Test-DaneTlsa -DnsServer $Lab.Resolver
        @($d.HostName) | Should -Be $hosts
        @($d.Verdict) | Should -Be @('TlsFailed', 'Valid', 'LookupFailed', 'Valid')
    }

    It 'shows the table and list views' {
        $r = Test-DaneTlsa -HostName ee.dane.test, pkix.dane.test -DnsServer $Lab.Resolver
        # -AutoSize: without it Format-Table sizes columns from the rows that arrive within 300 ms, which under load can be
        # the first row alone (the second is then cut to its widths); the view's columns are the same either way.
        $table = $r | Format-Table -AutoSize | Out-String -Width 200
        $table | Should -Match 'HostName\s+Address\s+Verdict\s+MX\s+A/AAAA\s+TLSA\s+Records\s+Match\s+Worst'
        $table | Should -Match 'ee\.dane\.test\s+\S+\s+Valid\s+Secure\s+Secure\s+1/1\s+3 1 1 @0\s+Info'
        $table | Should -Match 'pkix\.dane\.test\s+\S+\s+AllRecordsUnusable\s+Secure\s+Secure\s+0/2'
        $list = $r[0] | Format-List | Out-String -Width 200
        $list | Should -Match 'TlsaBaseDomain\s+: ee\.dane\.test'
        $list | Should -Match 'ServerCertificate\s+: CN=ee\.dane\.test'
        ($r[1].Records | Format-Table | Out-String -Width 200) | Should -Match 'PKIX-EE SPKI SHA2-256\s+PkixUsageInSmtp'
    }

    It 'produces objects that survive ConvertTo-Json -Depth 5, Export-Clixml and Export-Csv' {
        $r = Test-DaneTlsa -HostName ee.dane.test, mismatch.dane.test, two-addresses.dane.test -DnsServer $Lab.Resolver
        $json = $r | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue | ConvertFrom-Json
        $json[0].HostName | Should -Be 'ee.dane.test'
        $json[0].Verdict | Should -Be ([int][MailSecurity.DaneVerdict]::Valid)
        $json[0].MatchedRecordText | Should -Be (Get-TlsaText dane-ee 3 1 1)
        $json[0].Records[0].AssociationData | Should -Be (Get-TlsaText dane-ee 3 1 1).Substring(6)
        $json[1].Findings[0].Code | Should -Be 'Dane.NoMatchingRecord'
        $json[2].ProbedAddresses.Count | Should -Be 2
        $r | Export-Clixml -Path TestDrive:/dane.xml
        $back = Import-Clixml TestDrive:/dane.xml
        [MailSecurity.DaneVerdict] $back[1].Verdict | Should -Be ([MailSecurity.DaneVerdict]::NoMatch)
        $back[0].TlsaBaseDomain | Should -Be 'ee.dane.test'
        $back[0].Records.Count | Should -Be 1
        $back[0].CertificateChain.Count | Should -Be 2
        $r | Export-Csv -Path TestDrive:/dane.csv -NoTypeInformation
        $csv = Import-Csv TestDrive:/dane.csv
        $csv[0].Verdict | Should -Be 'Valid'
        $csv[0].TlsaDnssecStatus | Should -Be 'Secure'
        $csv[0].MatchedRecordText | Should -Be (Get-TlsaText dane-ee 3 1 1)
        $csv[0].RecordList | Should -Be (Get-TlsaText dane-ee 3 1 1)
        $csv[0].MatchDepth | Should -Be '0'
        $csv[1].WorstSeverity | Should -Be 'Critical'
        $csv[1].Authenticated | Should -Be 'False'
        $csv[2].ProbedAddressList | Should -Be "$($Lab.Net).25.30, $($Lab.Net).25.41"
    }
}
