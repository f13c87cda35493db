# Local DNSSEC validation (issue 13): behind the lab's NON-validating Unbound, with the lab's trust anchor, Test-DaneTlsa and
# Resolve-HopSecurity give on every mail domain of the lab the verdicts they give behind the validating Unbound, in both
# -DnssecValidation Auto and Local. The reference is the validating resolver itself (a real Unbound with the same anchor),
# not our code; its expectations are pinned by hand in DaneTlsa.Tests.ps1 and HopSecurityDomain.Tests.ps1. -DnssecValidation
# Resolver behind the non-validating resolver keeps saying ResolverNotValidating. Bogus data is never Secure.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    $script:Modes = @(@{ Mode = 'Auto' }, @{ Mode = 'Local' })
    $script:DomainCases = @(Get-LabMailDomains | ForEach-Object { @{ Domain = $_ } })
    # Zones whose data a validator must reject (tests/lab/zones: lab-mode bogus/expired, lab-dnssec ds=missing-key and
    # sigs=expired-data), and a name of each that is signed data.
    $script:BogusCases = @(
        @{ Domain = 'bogus.test' }, @{ Domain = 'expired.test' }, @{ Domain = 'dane-bogus.test' },
        @{ Domain = 'dnssec-dsmissing.test' }, @{ Domain = 'dnssec-expired-data.test' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    # The lab's trust anchor: the DS of test., in the zone-file syntax Unbound's trust-anchor-file reads (the validating
    # Unbound of the lab uses this very file).
    $script:Anchor = Join-Path $Lab.LabDir 'dns/test.ds'
    $script:T = 20
    function script:Get-DaneRows($results) {
        $rows = @{}
        foreach ($r in $results) {
            $rows["$($r.Domain)|$($r.HostName)"] += @('{0} tlsa={1} address={2} mx={3}' -f $r.Verdict, $r.TlsaDnssecStatus, $r.AddressDnssecStatus, $r.MxDnssecStatus)
        }
        $rows
    }
    function script:Get-HopRows($results) {
        $rows = @{}
        foreach ($h in $results) {
            $rows[$h.Domain] += @('{0}: {1} mx={2} dane={3} risks={4}' -f $h.MxHost, $h.Level, $h.MxDnssecStatus, $h.DaneVerdict, ((@($h.DeliveryRisks.Code) | Sort-Object) -join ','))
        }
        $rows
    }
    function script:Get-ErrorRows($errors) {
        $rows = @{}
        foreach ($e in $errors) { $rows["$($e.TargetObject)"] += @(($e.FullyQualifiedErrorId -split ',')[0]) }
        $rows
    }
}

Describe 'Local DNSSEC validation behind the non-validating resolver (-DnssecValidation <Mode>)' -Tag 'Lab' -Skip:$SkipLab -ForEach $Modes {
    BeforeAll {
        Assert-LabAvailable
        $domains = Get-LabMailDomains
        # The reference: the validating Unbound (default mode; it validates, so its AD bit and SERVFAIL decide).
        $daneByValidating = Test-DaneTlsa -Domain $domains -DnsServer $Lab.Resolver -TimeoutSec $T -ThrottleLimit 32 -ErrorVariable refDaneErr -ErrorAction SilentlyContinue
        $hopByValidating = Resolve-HopSecurity -Domain $domains -DnsServer $Lab.Resolver -TimeoutSec $T -ThrottleLimit 32 -ErrorVariable refHopErr -ErrorAction SilentlyContinue
        $script:RefDane = Get-DaneRows $daneByValidating
        $script:RefHop = Get-HopRows $hopByValidating
        $script:RefErrors = Get-ErrorRows (@($refDaneErr) + @($refHopErr))
        $script:LocalDaneResults = @(Test-DaneTlsa -Domain $domains -DnsServer $Lab.NonValidatingResolver -DnssecValidation $Mode -TrustAnchorPath $Anchor -TimeoutSec $T -ThrottleLimit 32 -ErrorVariable nvDaneErr -ErrorAction SilentlyContinue)
        $script:LocalHopResults = @(Resolve-HopSecurity -Domain $domains -DnsServer $Lab.NonValidatingResolver -DnssecValidation $Mode -TrustAnchorPath $Anchor -TimeoutSec $T -ThrottleLimit 32 -ErrorVariable nvHopErr -ErrorAction SilentlyContinue)
        $script:NvDane = Get-DaneRows $LocalDaneResults
        $script:NvHop = Get-HopRows $LocalHopResults
        $script:NvErrors = Get-ErrorRows (@($nvDaneErr) + @($nvHopErr))
    }

    It '<Domain>: Test-DaneTlsa and Resolve-HopSecurity give the validating resolver''s verdicts' -ForEach $DomainCases {
        $daneKeys = @($RefDane.Keys + $NvDane.Keys | Where-Object { $_ -like "$Domain|*" } | Sort-Object -Unique)
        foreach ($k in $daneKeys) {
            @($NvDane[$k] | Sort-Object) | Should -Be @($RefDane[$k] | Sort-Object) -Because "Test-DaneTlsa on $k"
        }
        @($NvHop[$Domain] | Sort-Object) | Should -Be @($RefHop[$Domain] | Sort-Object) -Because "Resolve-HopSecurity on $Domain"
        @($NvHop[$Domain]).Count | Should -BeGreaterThan 0
        @($NvErrors[$Domain] | Sort-Object) | Should -Be @($RefErrors[$Domain] | Sort-Object) -Because "the errors for $Domain"
    }

    It 'says which validation it used: Local wherever a signed answer was involved, never for the validating resolver' {
        # Auto keeps the resolver's word for unsigned answers (no signature to check), so an unsigned domain may say Resolver.
        $signed = @($LocalHopResults | Where-Object { $_.MxDnssecStatus -in 'Secure', 'Bogus' -or $_.Dane.TlsaDnssecStatus -eq 'Secure' })
        $signed.Count | Should -BeGreaterThan 5
        @($signed | Where-Object DnssecValidatedBy -NE 'Local').Count | Should -Be 0
        if ($Mode -eq 'Local') {
            @($LocalHopResults | Where-Object { $_.MxDnssecStatus -ne 'Unknown' -and $_.DnssecValidatedBy -ne 'Local' }).Count | Should -Be 0
        }
        $dane = @($LocalDaneResults | Where-Object TlsaDnssecStatus -EQ 'Secure')
        $dane.Count | Should -BeGreaterThan 5
        @($dane | Where-Object DnssecValidatedBy -NE 'Local').Count | Should -Be 0
        @($dane.Findings | Where-Object Code -EQ 'Dane.NoTlsa' | Where-Object Message -NotLike '*validated locally*').Count | Should -Be 0
    }

    It 'never calls <Domain>''s data Secure or authenticated (bogus zone)' -ForEach $BogusCases {
        $hops = @($LocalHopResults | Where-Object Domain -EQ $Domain)
        $hops.Count | Should -BeGreaterThan 0
        $hops.Level | Should -Not -Contain 'DaneAuthenticated'
        $hops.MxDnssecStatus | Should -Not -Contain 'Secure'
        @($LocalDaneResults | Where-Object Domain -EQ $Domain | Where-Object { $_.Verdict -eq 'Valid' -or $_.TlsaDnssecStatus -eq 'Secure' -or $_.AddressDnssecStatus -eq 'Secure' }).Count | Should -Be 0
    }
}

Describe '-DnssecValidation Resolver behind the non-validating resolver' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'keeps saying ResolverNotValidating, whatever the trust anchor' {
        $r = @(Test-DaneTlsa -Domain dane.test -DnsServer $Lab.NonValidatingResolver -DnssecValidation Resolver -TrustAnchorPath $Anchor -TimeoutSec $T)
        $r.Count | Should -Be 2
        $r.Verdict | Sort-Object -Unique | Should -Be 'ResolverNotValidating'
        $r.DnssecValidatedBy | Sort-Object -Unique | Should -Be 'Resolver'
        $r.Findings.Code | Should -Contain 'Dns.ResolverNotValidating'
        $h = @(Resolve-HopSecurity -Domain dane.test -DnsServer $Lab.NonValidatingResolver -DnssecValidation Resolver -TrustAnchorPath $Anchor -TimeoutSec $T)
        $h.MxDnssecStatus | Sort-Object -Unique | Should -Be 'ResolverNotValidating'
        $h.Level | Should -Not -Contain 'DaneAuthenticated'
    }

    It 'Auto without the lab anchor cannot reach the built-in root here: ResolverNotValidating, and the reason names the failed question' {
        # The lab's resolvers refuse names outside test. (no internet), so the root DNSKEY RRset cannot be fetched.
        $r = @(Test-DaneTlsa -HostName ee.dane.test -DnsServer $Lab.NonValidatingResolver -TimeoutSec $T)
        $r.Verdict | Should -Be 'ResolverNotValidating'
        ($r.Findings | Where-Object Code -EQ 'Dns.ResolverNotValidating').Message | Should -Match 'local DNSSEC validation could not finish: the (DS|DNSKEY) lookup for (test|\.) failed'
    }

    It 'asks the root for its DNSKEY RRset, and a refused root is not determined, never bogus (island.test, built-in anchor only)' {
        # Regression: the root name was refused by the DNS layer as empty, and the missing DNSKEY read as "no DNSKEY": Bogus.
        $out = @(Resolve-HopSecurity -Domain island.test -DnsServer $Lab.NonValidatingResolver -DnssecValidation Local -TimeoutSec $T -Verbose 4>&1)
        @($out | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match '^DNS \. DNSKEY @.*Refused.*\[ds-probe\]$' }).Count | Should -Be 1
        $h = @($out | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
        $h.MxDnssecStatus | Sort-Object -Unique | Should -Be 'Unvalidated'
        $h.Level | Should -Not -Contain 'Unreachable'
    }

    It 'Local without the lab anchor: not determined (DnssecUndetermined), never a lookup failure' {
        $r = @(Test-DaneTlsa -HostName ee.dane.test -DnsServer $Lab.NonValidatingResolver -DnssecValidation Local -TimeoutSec $T)
        $r.Verdict | Should -Be 'DnssecUndetermined'
        $r.Findings.Code | Should -Contain 'Dns.DnssecProbeFailed'
    }
}

Describe '-TrustAnchorPath' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }
    AfterEach { $PSDefaultParameterValues.Remove('*:TrustAnchorPath') }

    It 'is set once for the shell with $PSDefaultParameterValues' {
        $PSDefaultParameterValues['*:TrustAnchorPath'] = $Anchor
        $r = Test-DaneTlsa -HostName ee.dane.test -DnsServer $Lab.NonValidatingResolver -DnssecValidation Local -TimeoutSec $T
        $r.Verdict | Should -Be 'Valid'
        $r.DnssecValidatedBy | Should -Be 'Local'
        # The cmdlets without DNSSEC verdicts do not have the parameter, and the default does not disturb them.
        (Get-MailAuthRecords -Domain secure.test -DnsServer $Lab.Resolver -DkimSelector selector1).Domain | Should -Be 'secure.test'
    }

    It 'stops with InvalidTrustAnchorFile for <Case>' -ForEach @(
        @{ Case = 'a missing file'; Content = $null; Pattern = 'cannot be used' }
        @{ Case = 'a malformed DS record'; Content = "test. IN DS 12345 13 2 NOT-HEX`n"; Pattern = 'line 1' }
        @{ Case = 'a file without anchors'; Content = "; only a comment`n"; Pattern = 'no DS or DNSKEY record' }
        @{ Case = 'another record type'; Content = "test. IN A 192.0.2.1`n"; Pattern = 'expected a DS or DNSKEY record' }
    ) {
        $file = Join-Path $TestDrive 'anchors.ds'
        Remove-Item $file -ErrorAction SilentlyContinue
        if ($Content) { Set-Content -Path $file -Value $Content -NoNewline }
        { Resolve-HopSecurity -Domain dane.test -DnsServer $Lab.NonValidatingResolver -DnssecValidation Local -TrustAnchorPath $file -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidTrustAnchorFile,MailSecurity.Commands.ResolveHopSecurityCommand' -ExpectedMessage "*$Pattern*"
    }
}
