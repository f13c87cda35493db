# Get-MtaStsPolicy against the lab's HTTPS tier (nginx policy hosts by SNI, hostile HTTPS peers) and DNS tier, plus the
# reference verdicts of tests/conformance/mta-sts (postfix-mta-sts-resolver's test suite) rebuilt as *.sts-ref.test.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip

    # One case per lab scenario (tests/lab/zones/sts-*.test.zone, tests/lab/https/vhosts.list); expectations from RFC 8461.
    $script:Scenarios = @(
        @{ Domain = 'sts-enforce.test'; Status = 'Valid'; Mode = 'Enforce'; Codes = @(); Absent = @('MtaSts.NoTlsRpt', 'MtaSts.MxNotCovered', 'MtaSts.MxTlsNotChecked', 'MtaSts.CertificateInvalid') }
        @{ Domain = 'sts-testing.test'; Status = 'Valid'; Mode = 'Testing'; Codes = @('MtaSts.ModeTesting', 'MtaSts.NoTlsRpt'); Absent = @() }
        @{ Domain = 'sts-none.test'; Status = 'ModeNone'; Mode = 'None'; Codes = @('MtaSts.ModeNone'); Absent = @('MtaSts.MissingMx', 'MtaSts.MxNotCovered') }
        @{ Domain = 'sts-redirect.test'; Status = 'FetchFailed'; Mode = $null; Codes = @('MtaSts.PolicyRedirect', 'MtaSts.PolicyUnavailable'); Absent = @() }
        @{ Domain = 'sts-404.test'; Status = 'FetchFailed'; Mode = $null; Codes = @('MtaSts.PolicyHttpStatus', 'MtaSts.PolicyUnavailable'); Absent = @() }
        @{ Domain = 'sts-html.test'; Status = 'FetchFailed'; Mode = $null; Codes = @('MtaSts.PolicyContentType', 'MtaSts.PolicyUnavailable'); Absent = @() }
        @{ Domain = 'sts-large.test'; Status = 'FetchFailed'; Mode = $null; Codes = @('MtaSts.PolicyTooLarge', 'MtaSts.PolicyUnavailable'); Absent = @() }
        @{ Domain = 'sts-crlf.test'; Status = 'Valid'; Mode = 'Enforce'; Codes = @(); Absent = @('MtaSts.PolicyLineInvalid', 'MtaSts.PolicyContentType') }
        @{ Domain = 'sts-maxage.test'; Status = 'InvalidPolicy'; Mode = 'Enforce'; Codes = @('MtaSts.MaxAgeTooLarge', 'MtaSts.PolicyUnavailable'); Absent = @() }
        @{ Domain = 'sts-nomx.test'; Status = 'InvalidPolicy'; Mode = 'Enforce'; Codes = @('MtaSts.MissingMx', 'MtaSts.PolicyUnavailable'); Absent = @() }
        @{ Domain = 'sts-wild.test'; Status = 'Valid'; Mode = 'Enforce'; Codes = @(); Absent = @('MtaSts.MxNotCovered', 'MtaSts.NoMxCovered') }
        @{ Domain = 'sts-wild2.test'; Status = 'Valid'; Mode = 'Enforce'; Codes = @('MtaSts.MxNotCovered', 'MtaSts.NoMxCovered'); Absent = @() }
        @{ Domain = 'sts-wrongname.test'; Status = 'FetchFailed'; Mode = $null; Codes = @('MtaSts.PolicyHostCertificateInvalid', 'MtaSts.PolicyUnavailable'); Absent = @() }
        @{ Domain = 'sts-expired.test'; Status = 'FetchFailed'; Mode = $null; Codes = @('MtaSts.PolicyHostCertificateInvalid', 'MtaSts.PolicyUnavailable'); Absent = @() }
        @{ Domain = 'sts-twotxt.test'; Status = 'MultipleRecords'; Mode = $null; Codes = @('MtaSts.MultipleRecords'); Absent = @('MtaSts.PolicyUnavailable') }
        @{ Domain = 'sts-hyphen.test'; Status = 'InvalidRecord'; Mode = $null; Codes = @('MtaSts.InvalidId', 'MtaSts.InvalidRecord'); Absent = @() }
        @{ Domain = 'sts-uncovered.test'; Status = 'Valid'; Mode = 'Enforce'; Codes = @('MtaSts.MxNotCovered'); Absent = @('MtaSts.NoMxCovered') }
        @{ Domain = 'sts-badmxcert.test'; Status = 'Valid'; Mode = 'Enforce'; Codes = @('MtaSts.CertificateInvalid'); Absent = @('MtaSts.MxNotCovered', 'MtaSts.MxTlsNotChecked') }
        @{ Domain = 'sts-cname.test'; Status = 'Valid'; Mode = 'Enforce'; Codes = @(); Absent = @('MtaSts.NoRecord') }
        @{ Domain = 'no-mail.test'; Status = 'NoRecord'; Mode = $null; Codes = @('MtaSts.NoRecord'); Absent = @('MtaSts.NoTlsRpt') }
    )

    # Hostile policy hosts (tests/MailSecurity.TestPeers/Https, lab tier 45-https-peers): each a specific finding, no hang.
    $script:HostileCases = @(
        @{ Domain = 'sts-slow.test'; Peer = 'drips one byte per second'; Status = 'FetchFailed'; Code = 'MtaSts.PolicyTimeout'; Outcome = 'Timeout' }
        @{ Domain = 'sts-huge.test'; Peer = 'sends 10 MB'; Status = 'FetchFailed'; Code = 'MtaSts.PolicyTooLarge'; Outcome = 'TooLarge' }
        @{ Domain = 'sts-nonutf8.test'; Peer = 'sends a non-UTF-8 body'; Status = 'InvalidPolicy'; Code = 'MtaSts.NonUtf8Policy'; Outcome = 'Success' }
        @{ Domain = 'sts-cut.test'; Peer = 'closes mid-body'; Status = 'FetchFailed'; Code = 'MtaSts.PolicyTruncated'; Outcome = 'Truncated' }
    )

    # The reference scenarios: conformance data is read from tests/conformance (a copy with its origin and licence).
    $root = $PSScriptRoot
    while ($root -and -not (Test-Path (Join-Path $root 'MailSecurity.sln'))) { $root = Split-Path $root }
    $script:ConformanceDir = Join-Path $root 'tests/conformance/mta-sts'
    # The one name table: upstream <name>.loc is <name>.sts-ref.test in tests/lab/zones/sts-ref.test.zone.
    $script:NameMap = @{
        'good.loc' = 'good.sts-ref.test'; 'valid-none.loc' = 'valid-none.sts-ref.test'; 'testing.loc' = 'testing.sts-ref.test'
        'no-record.loc' = 'no-record.sts-ref.test'; 'bad-record1.loc' = 'bad-record1.sts-ref.test'; 'bad-record2.loc' = 'bad-record2.sts-ref.test'
        'bad-record3.loc' = 'bad-record3.sts-ref.test'; 'no-data.loc' = 'no-data.sts-ref.test'
        'bad-policy1.loc' = 'bad-policy1.sts-ref.test'; 'bad-policy2.loc' = 'bad-policy2.sts-ref.test'; 'bad-policy3.loc' = 'bad-policy3.sts-ref.test'
        'bad-policy4.loc' = 'bad-policy4.sts-ref.test'; 'bad-policy5.loc' = 'bad-policy5.sts-ref.test'; 'bad-policy6.loc' = 'bad-policy6.sts-ref.test'
        'bad-policy7.loc' = 'bad-policy7.sts-ref.test'; 'bad-policy8.loc' = 'bad-policy8.sts-ref.test'
        'bad-cert1.loc' = 'bad-cert1.sts-ref.test'; 'bad-cert2.loc' = 'bad-cert2.sts-ref.test'
        'fast-expire.loc' = 'fast-expire.sts-ref.test'; 'static-overlength.loc' = 'static-overlength.sts-ref.test'
        'mail.loc' = 'mail.loc'
    }
    $script:RefCases = foreach ($file in 'refdata.tsv', 'refdata_strict.tsv') {
        $path = Join-Path $ConformanceDir $file
        if (-not (Test-Path $path)) { continue }
        foreach ($line in [IO.File]::ReadAllLines($path)) {
            if (-not $line) { continue }
            $query, $expected = $line -split "`t", 2
            $zone, $nexthop = $query -split ' ', 2
            $mapped = [regex]::Replace($nexthop, '[a-z0-9-]+\.loc', { param($m) $NameMap[$m.Value] })
            @{ File = $file; Query = $query; NextHop = $nexthop; Mapped = $mapped; Expected = $expected; Strict = ($file -eq 'refdata_strict.tsv') }
        }
    }
    # Upstream's extra scenarios (SCENARIOS.md "not in these TSV files"), with the verdict that section gives.
    $script:RefExtraCases = @(
        @{ Name = 'bad-record3.loc'; Expected = 'NOTFOUND ' }
        @{ Name = 'no-data.loc'; Expected = 'NOTFOUND ' }
        @{ Name = 'bad-policy4.loc'; Expected = 'NOTFOUND ' }
        @{ Name = 'bad-policy5.loc'; Expected = 'NOTFOUND ' }
        @{ Name = 'bad-policy6.loc'; Expected = 'NOTFOUND ' }
        @{ Name = 'bad-policy7.loc'; Expected = 'NOTFOUND ' }
        @{ Name = 'bad-policy8.loc'; Expected = 'NOTFOUND ' }
        @{ Name = 'fast-expire.loc'; Expected = 'OK secure match=mail.loc' }
        @{ Name = 'static-overlength.loc'; Expected = 'NOTFOUND ' }
    ) | ForEach-Object { $_.Mapped = $NameMap[$_.Name]; $_ }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    $script:ExpectedClient = if ($env:MAILSECURITY_EDITION -eq 'Desktop') { 'Http11' } else { 'HttpClient' }

    # Our result expressed as the reference resolver's reply: an enforceable policy (testing counts too when strict) with its
    # mx list, or NOTFOUND. Postfix next-hop notation ([name], :port) is the resolver's input syntax, not a domain; the reference
    # strips it, so the test does the same before calling the cmdlet. An invalid name or an address literal is an error: NOTFOUND.
    function script:Get-ReferenceVerdict([string] $NextHop, [bool] $Strict) {
        $name = $NextHop
        if ($name -match '^\[(.*)\](:\d+)?$') { $name = $Matches[1] }
        elseif ($name -match '^([^:]*):\d+$') { $name = $Matches[1] }
        $r = Get-MtaStsPolicy -Domain $name -DnsServer $Lab.Resolver -SkipMxCheck -TimeoutSec 5 -ErrorAction SilentlyContinue
        $modes = if ($Strict) { 'Enforce', 'Testing' } else { 'Enforce' }
        if ($null -ne $r -and $r.Status -eq 'Valid' -and [string] $r.Mode -in $modes) {
            $reply = 'OK secure match=' + (($r.MxPatterns | ForEach-Object { $_ -replace '\.sts-ref\.test$', '.loc' }) -join ':')
            # servername=hostname: the resolver asks Postfix to send SNI; Get-MtaStsPolicy always sends SNI (RFC 8461 §7.1).
            if ($Strict) { $reply += ' servername=hostname' }
            return $reply
        }
        return 'NOTFOUND '
    }
}

Describe 'Get-MtaStsPolicy command' {
    It 'declares its output type' {
        (Get-Command Get-MtaStsPolicy).OutputType.Name | Should -Contain 'MailSecurity.MtaStsPolicyResult'
    }

    It 'has help with a description for every parameter and at least three examples' {
        $help = Get-Help Get-MtaStsPolicy -Full
        $help.Synopsis | Should -Not -Match '^\s*Get-MtaStsPolicy'
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        foreach ($p in 'Domain', 'SkipMxCheck', 'PreviousPolicy', 'ThrottleLimit', 'DnsServer', 'TimeoutSec') {
            ($help.parameters.parameter | Where-Object name -EQ $p).description.Text | Should -Not -BeNullOrEmpty -Because "-$p needs help"
        }
    }

    It 'rejects a -PreviousPolicy that is not an MTA-STS result with a terminating error' {
        { Get-MtaStsPolicy -Domain sts-enforce.test -PreviousPolicy ([pscustomobject]@{ Name = 'x' }) -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPreviousPolicy,MailSecurity.Commands.GetMtaStsPolicyCommand'
    }

    It 'reports invalid names and address literals as non-terminating errors and carries on' {
        $errs = $null
        $out = Get-MtaStsPolicy -Domain 'bad name', '.leading.test', '192.0.2.1' -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        @($errs).Count | Should -Be 3
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.GetMtaStsPolicyCommand'
        $errs[2].FullyQualifiedErrorId | Should -Be 'AddressLiteral,MailSecurity.Commands.GetMtaStsPolicyCommand'
        $errs[2].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[2].TargetObject | Should -Be '192.0.2.1'
    }
}

Describe 'Get-MtaStsPolicy against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Domain>: <Status> <Mode>' -ForEach $Scenarios {
        $r = Get-MtaStsPolicy -Domain $Domain -DnsServer $Lab.Resolver -TimeoutSec 5
        $r | Should -BeOfType 'MailSecurity.MtaStsPolicyResult'
        $r.Domain | Should -Be $Domain
        $r.Status | Should -Be $Status
        if ($null -eq $Mode) { $r.Mode | Should -BeNullOrEmpty } else { $r.Mode | Should -Be $Mode }
        foreach ($code in $Codes) { $r.Findings.Code | Should -Contain $code }
        foreach ($code in $Absent) { $r.Findings.Code | Should -Not -Contain $code }
        $r.FindingCodes | Should -Be (($r.Findings.Code | Select-Object -Unique) -join ';')
    }

    It 'a valid enforce policy: id, max_age, patterns, TLS-RPT and fetch evidence' {
        $r = Get-MtaStsPolicy -Domain sts-enforce.test -DnsServer $Lab.Resolver
        $r.Id | Should -Be '20240101T000000'
        $r.MaxAge | Should -Be ([TimeSpan]::FromDays(7))
        $r.MaxAgeSeconds | Should -Be 604800
        @($r.MxPatterns) | Should -Be @('mx1.sts-enforce.test')
        $r.TlsRptPresent | Should -BeTrue
        $r.TlsRptRecord | Should -Be 'v=TLSRPTv1; rua=mailto:tlsrpt@sts-enforce.test'
        $r.PolicyActive | Should -BeTrue
        $r.Enforced | Should -BeTrue
        $r.Discovery.Record | Should -Be 'v=STSv1; id=20240101T000000'
        $f = $r.Fetch
        $f.Url | Should -Be 'https://mta-sts.sts-enforce.test/.well-known/mta-sts.txt'
        $f.Outcome | Should -Be 'Success'
        $f.StatusCode | Should -Be 200
        $f.ContentType | Should -Be 'text/plain'
        $f.Address | Should -Be "$($Lab.Net).44.1"
        $f.TlsProtocol | Should -BeIn 'Tls12', 'Tls13'
        $f.CipherSuite | Should -Not -BeNullOrEmpty
        $f.CertificateValid | Should -BeTrue
        $f.Certificate | Should -BeOfType ([MailSecurity.CertificateInfo])
        @($f.Certificate.DnsNames) | Should -Contain 'mta-sts.sts-enforce.test'
        $f.CertificateSummary | Should -Match 'mta-sts\.sts-enforce\.test'
        @($f.CertificateChain).Count | Should -BeGreaterOrEqual 2
        $f.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $f.Client | Should -Be $ExpectedClient
        $r.MxChecked | Should -BeTrue
        @($r.MxResults).Count | Should -Be 1
        $r.MxResults[0].MxHost | Should -Be 'mx1.sts-enforce.test'
        $r.MxResults[0].Covered | Should -BeTrue
        # The MX is probed (STARTTLS on the lab's Postfix at .25.1) and its certificate names it.
        $r.MxResults[0].TlsOk | Should -BeTrue
        $r.MxResults[0].CertificateValid | Should -BeTrue
        $r.MxResults[0].WouldDeliver | Should -BeTrue
    }

    It 'a redirect is not followed and names its Location' {
        $r = Get-MtaStsPolicy -Domain sts-redirect.test -DnsServer $Lab.Resolver
        $r.Fetch.StatusCode | Should -Be 301
        $r.Fetch.Location | Should -Be 'https://mta-sts.sts-enforce.test/.well-known/mta-sts.txt'
        ($r.Findings | Where-Object Code -EQ 'MtaSts.PolicyRedirect').Message | Should -Match ([regex]::Escape($r.Fetch.Location))
        $r.Policy | Should -BeNullOrEmpty
    }

    It 'reads CRLF and LF bodies alike' {
        $crlf = Get-MtaStsPolicy -Domain sts-crlf.test -DnsServer $Lab.Resolver -SkipMxCheck
        $lf = Get-MtaStsPolicy -Domain sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck
        $crlf.Policy.UsesCrlf | Should -BeTrue
        $lf.Policy.UsesCrlf | Should -BeFalse
        @($crlf.MxPatterns) | Should -Be @('mx1.sts-crlf.test')
        $crlf.Fetch.ContentType | Should -Be 'text/plain;charset=utf-8'
    }

    It 'a wildcard covers exactly one label: <Domain>' -ForEach @(
        @{ Domain = 'sts-wild.test'; MxHost = 'mail.sts-wild.test'; Covered = $true; Deliver = $true }
        @{ Domain = 'sts-wild2.test'; MxHost = 'tenant.h-v1.mx.sts-wild2.test'; Covered = $false; Deliver = $false }
    ) {
        $r = Get-MtaStsPolicy -Domain $Domain -DnsServer $Lab.Resolver
        $m = $r.MxResults | Where-Object MxHost -EQ $MxHost
        $m.Covered | Should -Be $Covered
        if ($null -eq $Deliver) { $m.WouldDeliver | Should -BeNullOrEmpty } else { $m.WouldDeliver | Should -Be $Deliver }
        if (-not $Covered) { ($r.Findings | Where-Object Code -EQ 'MtaSts.NoMxCovered').Severity | Should -Be 'Critical' }
    }

    It 'names the MX the policy does not cover' {
        $r = Get-MtaStsPolicy -Domain sts-uncovered.test -DnsServer $Lab.Resolver
        $r.UncoveredMx | Should -Be 'mx2.sts-uncovered.test'
        ($r.MxResults | Where-Object MxHost -EQ 'mx2.sts-uncovered.test').WouldDeliver | Should -BeFalse
        ($r.Findings | Where-Object Code -EQ 'MtaSts.MxNotCovered').Target | Should -Be 'mx2.sts-uncovered.test'
    }

    It 'a covered MX with a certificate for another name: TLS works, the certificate does not, an enforcing sender will not deliver' {
        $r = Get-MtaStsPolicy -Domain sts-badmxcert.test -DnsServer $Lab.Resolver
        @($r.MxResults).Count | Should -Be 1
        $r.MxResults[0].Covered | Should -BeTrue
        $r.MxResults[0].TlsOk | Should -BeTrue
        $r.MxResults[0].CertificateValid | Should -BeFalse
        $r.MxResults[0].WouldDeliver | Should -BeFalse
        ($r.Findings | Where-Object Code -EQ 'MtaSts.CertificateInvalid').Message | Should -Match 'mx1\.sts-badmxcert\.test'
        ($r.Findings | Where-Object Code -EQ 'MtaSts.CertificateInvalid').Message | Should -Match 'somewhere-else\.smtp\.test'
    }

    It 'policy host certificate problems are explained: <Domain>' -ForEach @(
        @{ Domain = 'sts-wrongname.test'; Reason = 'mta-sts\.sts-other\.test' }
        @{ Domain = 'sts-expired.test'; Reason = 'expired' }
    ) {
        $r = Get-MtaStsPolicy -Domain $Domain -DnsServer $Lab.Resolver -SkipMxCheck
        $r.PolicyHostCertificateValid | Should -BeFalse
        $r.Fetch.Outcome | Should -Be 'CertificateInvalid'
        ($r.Fetch.CertificateErrors -join '; ') | Should -Match $Reason
        $r.Fetch.Certificate | Should -Not -BeNullOrEmpty
        $r.Fetch.StatusCode | Should -BeNullOrEmpty
    }

    It 'follows CNAMEs for the TXT record and the policy host (delegation)' {
        $r = Get-MtaStsPolicy -Domain sts-cname.test -DnsServer $Lab.Resolver
        $r.Discovery.CnameChain | Should -Contain '_mta-sts.sts-cname.test -> _mta-sts.sts-enforce.test'
        $r.Fetch.PolicyHost | Should -Be 'mta-sts.sts-cname.test'
        $r.Fetch.CertificateValid | Should -BeTrue
    }

    It 'the 100 KB body stops the read at the cap' {
        $r = Get-MtaStsPolicy -Domain sts-large.test -DnsServer $Lab.Resolver -SkipMxCheck
        $r.Fetch.Outcome | Should -Be 'TooLarge'
        $r.Fetch.BodyBytesRead | Should -BeLessOrEqual 65537
    }

    It 'a hostile policy host that <Peer> gives <Code>, without hanging' -ForEach $HostileCases {
        $elapsed = Measure-Command { $script:r = Get-MtaStsPolicy -Domain $Domain -DnsServer $Lab.Resolver -SkipMxCheck -TimeoutSec 3 }
        $elapsed.TotalSeconds | Should -BeLessThan 8
        $r.Status | Should -Be $Status
        $r.Fetch.Outcome | Should -Be $Outcome
        $r.Findings.Code | Should -Contain $Code
        $r.Fetch.Address | Should -Match '\.45\.\d+$'
        if ($Outcome -eq 'TooLarge') { $r.Fetch.BodyBytesRead | Should -Be 65537 }
    }

    It 'with -SkipMxCheck does not look at the MX hosts' {
        $r = Get-MtaStsPolicy -Domain sts-uncovered.test -DnsServer $Lab.Resolver -SkipMxCheck
        $r.MxChecked | Should -BeFalse
        @($r.MxResults).Count | Should -Be 0
        $r.Findings.Code | Should -Not -Contain 'MtaSts.MxNotCovered'
        $r.Findings.Code | Should -Not -Contain 'MtaSts.MxTlsNotChecked'
    }

    It 'never reports a DNS failure as no record' {
        $r = Get-MtaStsPolicy -Domain bogus.test -DnsServer $Lab.Resolver -SkipMxCheck
        $r.Status | Should -Be 'LookupFailed'
        $r.Findings.Code | Should -Contain 'MtaSts.RecordLookupFailed'
        $r.Findings.Code | Should -Not -Contain 'MtaSts.NoRecord'
    }

    It 'writes a DnsTimeout error besides the LookupFailed result when the resolver never answers' {
        $errs = $null
        $r = Get-MtaStsPolicy -Domain sts-enforce.test -DnsServer $Lab.BlackholeResolver -TimeoutSec 1 -SkipMxCheck -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Status | Should -Be 'LookupFailed'
        $errs[0].FullyQualifiedErrorId | Should -Be 'DnsTimeout,MailSecurity.Commands.GetMtaStsPolicyCommand'
        $errs[0].TargetObject | Should -Be 'sts-enforce.test'
    }

    It 'binds pipeline objects by property name and keeps input order' {
        $inputs = 'sts-slow.test', 'sts-enforce.test', 'sts-404.test', 'no-mail.test'
        $out = $inputs | ForEach-Object { [pscustomobject]@{ DomainName = $_ } } | Get-MtaStsPolicy -DnsServer $Lab.Resolver -SkipMxCheck -TimeoutSec 2 -ThrottleLimit 4
        @($out.Domain) | Should -Be $inputs
    }

    It 'produces objects that survive ConvertTo-Json, Export-Clixml and Export-Csv' {
        $r = Get-MtaStsPolicy -Domain sts-enforce.test, sts-404.test -DnsServer $Lab.Resolver
        $json = $r | ConvertTo-Json -Depth 5 -WarningAction SilentlyContinue | ConvertFrom-Json
        $json[0].Domain | Should -Be 'sts-enforce.test'
        $json[0].MxResults[0].MxHost | Should -Be 'mx1.sts-enforce.test'
        $json[1].Fetch.StatusCode | Should -Be 404
        $r | Export-Clixml -Path TestDrive:/sts.xml
        $back = Import-Clixml TestDrive:/sts.xml
        [MailSecurity.MtaStsStatus] $back[0].Status | Should -Be ([MailSecurity.MtaStsStatus]::Valid)
        [MailSecurity.MtaStsMode] $back[0].Mode | Should -Be ([MailSecurity.MtaStsMode]::Enforce)
        @($back[0].MxPatterns) | Should -Be @('mx1.sts-enforce.test')
        $r | Export-Csv -Path TestDrive:/sts.csv -NoTypeInformation
        $csv = Import-Csv TestDrive:/sts.csv
        $csv[0].Status | Should -Be 'Valid'
        $csv[0].MxPatternList | Should -Be 'mx1.sts-enforce.test'
        $csv[1].HttpStatusCode | Should -Be '404'
        $csv[1].FindingCodes | Should -Match 'MtaSts.PolicyHttpStatus'
    }
}

Describe 'Get-MtaStsPolicy -PreviousPolicy drift' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $live = Get-MtaStsPolicy -Domain sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck
        $live | Export-Clixml -Path TestDrive:/previous.xml
        function script:Get-Previous { Import-Clixml TestDrive:/previous.xml }
    }

    It 'finds no drift against the same state (live object and Import-Clixml)' {
        (Get-MtaStsPolicy -Domain sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck -PreviousPolicy $live).Drift | Should -BeNullOrEmpty
        $r = Get-MtaStsPolicy -Domain sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck -PreviousPolicy (Get-Previous)
        $r.HasDrift | Should -BeFalse
    }

    It 'id changed, policy the same' {
        $p = Get-Previous; $p.Id = 'older1'
        $r = Get-MtaStsPolicy -Domain sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck -PreviousPolicy $p
        @($r.Drift.Code) | Should -Be @('MtaSts.IdChangedPolicySame')
        $r.HasDrift | Should -BeTrue
    }

    It 'policy changed, id the same; max_age shortened' {
        $p = Get-Previous; $p.MxPatterns = @('old-mx.sts-enforce.test'); $p.MaxAgeSeconds = 31557600
        $r = Get-MtaStsPolicy -Domain sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck -PreviousPolicy $p
        $r.Drift.Code | Should -Contain 'MtaSts.PolicyChangedIdSame'
        $r.Drift.Code | Should -Contain 'MtaSts.MaxAgeShortened'
        ($r.Findings | Where-Object Code -EQ 'MtaSts.PolicyChangedIdSame').Message | Should -Match 'old-mx\.sts-enforce\.test'
    }

    It 'mode downgrade (enforce then, testing now; enums read back as numbers)' {
        $p = Get-Previous; $p.Domain = 'sts-testing.test'; $p.MxPatterns = @('mx1.sts-testing.test')
        $p.Mode | Should -BeOfType [int]
        $r = Get-MtaStsPolicy -Domain sts-testing.test -DnsServer $Lab.Resolver -SkipMxCheck -PreviousPolicy $p
        $r.Drift.Code | Should -Contain 'MtaSts.ModeDowngrade'
        $r.Drift.Code | Should -Contain 'MtaSts.PolicyChangedIdSame'
    }

    It 'a policy that is gone is withdrawn' {
        $p = Get-Previous; $p.Domain = 'sts-404.test'
        $r = Get-MtaStsPolicy -Domain sts-404.test -DnsServer $Lab.Resolver -SkipMxCheck -PreviousPolicy $p
        @($r.Drift.Code) | Should -Be @('MtaSts.PolicyWithdrawn')
    }

    It 'matches previous results to inputs by domain' {
        $a = Get-Previous; $a.Id = 'x1'
        $b = Get-Previous; $b.Domain = 'sts-404.test'
        $out = Get-MtaStsPolicy -Domain sts-enforce.test, sts-404.test -DnsServer $Lab.Resolver -SkipMxCheck -PreviousPolicy $a, $b
        @($out[0].Drift.Code) | Should -Be @('MtaSts.IdChangedPolicySame')
        @($out[1].Drift.Code) | Should -Be @('MtaSts.PolicyWithdrawn')
    }
}

Describe 'MTA-STS reference verdicts (postfix-mta-sts-resolver test data)' -Tag 'Lab', 'Conformance' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'reads both reference files from tests/conformance (36 cases)' -ForEach @(@{ Count = @($RefCases).Count }) {
        $root = $PSScriptRoot
        while ($root -and -not (Test-Path (Join-Path $root 'MailSecurity.sln'))) { $root = Split-Path $root }
        Join-Path $root 'tests/conformance/mta-sts/refdata.tsv' | Should -Exist
        Join-Path $root 'tests/conformance/mta-sts/refdata_strict.tsv' | Should -Exist
        $Count | Should -Be 36
    }

    It '<File>: <Query> -> <Expected>' -ForEach $RefCases {
        Get-ReferenceVerdict -NextHop $Mapped -Strict $Strict | Should -BeExactly $Expected
    }

    It 'extra scenario <Name> -> <Expected>' -ForEach $RefExtraCases {
        Get-ReferenceVerdict -NextHop $Mapped -Strict $false | Should -BeExactly $Expected
    }
}
