# One evidence, one verdict (issue 12): on every mail domain of the lab, behind both lab resolvers, the hop verdict of
# Resolve-HopSecurity agrees with the cmdlets that establish its parts. The DANE part is Test-DaneTlsa's verdict for the
# host; the MTA-STS part is Get-MtaStsPolicy's status and coverage; the TLS part is Test-SmtpStartTls's session of each
# address; the MX answer (NXDOMAIN, SERVFAIL, null MX) is Get-MailAuthRecords' with the same finding at the same severity,
# and Test-DaneTlsa and Test-SmtpStartTls report it with the same error. A disagreement fails the test.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    $script:Resolvers = @(@{ Resolver = 'Resolver' }, @{ Resolver = 'NonValidatingResolver' })
    $script:DomainCases = @(Get-LabMailDomains | ForEach-Object { @{ Domain = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    # Severity, then message: the finding a check reports (codes are compared with their severity).
    function script:Key($finding) { '{0} ({1})' -f $finding.Code, $finding.Severity }
    # The MX RRset's DNSSEC state is decided once, by the DNS layer's classification, and only where a verdict depends on it
    # (issue 19): Get-MailAuthRecords reports what the answer itself says and never probes, so a signed answer without AD is
    # Unvalidated there (Mx.DnssecNotValidated: "not determined here"); the hop settles it (an island: Insecure; a resolver
    # that does not validate; or Unvalidated with Dns.DnssecProbeFailed). Anything else is a disagreement.
    function script:Test-SameMxDnssec([string] $HopState, [string] $MailState) {
        if ($MailState -eq 'Unvalidated') { return $HopState -in 'Insecure', 'ResolverNotValidating', 'Unvalidated' }
        $HopState -eq $MailState
    }
}

Describe 'The cmdlets agree on every lab domain behind the <Resolver>' -Tag 'Lab' -Skip:$SkipLab -ForEach $Resolvers {
    BeforeAll {
        Assert-LabAvailable
        $domains = Get-LabMailDomains
        $dns = $Lab.$Resolver
        # A generous timeout: the cmdlets open their own sessions, and a session that times out under load in one of them
        # but not in another would be a difference of scheduling, not of verdict.
        $t = 20
        # Each cmdlet once over all domains, as a user would run it; results grouped per domain (and host).
        $script:HopsByDomain = @{}
        Resolve-HopSecurity -Domain $domains -DnsServer $dns -TimeoutSec $t -ThrottleLimit 32 | ForEach-Object { $script:HopsByDomain[$_.Domain] += @($_) }
        $script:MailByDomain = @{}
        Get-MailAuthRecords -Domain $domains -DnsServer $dns -TimeoutSec $t -DkimSelector selector1 -ThrottleLimit 32 | ForEach-Object { $script:MailByDomain[$_.Domain] = $_ }
        $script:StsByDomain = @{}
        Get-MtaStsPolicy -Domain $domains -DnsServer $dns -TimeoutSec $t -ThrottleLimit 32 -ErrorAction SilentlyContinue | ForEach-Object { $script:StsByDomain[$_.Domain] = $_ }
        $script:DaneByHost = @{}
        $script:DaneErrorsByTarget = @{}
        Test-DaneTlsa -Domain $domains -DnsServer $dns -TimeoutSec $t -ThrottleLimit 32 -ErrorVariable daneErrorList -ErrorAction SilentlyContinue | ForEach-Object { $script:DaneByHost["$($_.Domain)|$($_.HostName)"] += @($_) }
        $daneErrorList | ForEach-Object { $script:DaneErrorsByTarget["$($_.TargetObject)"] += @($_) }
        $script:TlsByHost = @{}
        $script:TlsErrorsByTarget = @{}
        Test-SmtpStartTls -Domain $domains -DnsServer $dns -TimeoutSec $t -ThrottleLimit 32 -ErrorVariable tlsErrorList -ErrorAction SilentlyContinue | ForEach-Object {
            # A host shared by several domains is probed once per domain; one session per address is enough to compare.
            if (-not @($script:TlsByHost[$_.HostName] | Where-Object Address -EQ $_.Address).Count) { $script:TlsByHost[$_.HostName] += @($_) }
        }
        $tlsErrorList | ForEach-Object { $script:TlsErrorsByTarget["$($_.TargetObject)"] += @($_) }
        Write-Host ("{0}: {1} hop rows, {2} DANE results, {3} STARTTLS hosts" -f $Resolver, @($script:HopsByDomain.Values | ForEach-Object { $_ }).Count, $script:DaneByHost.Count, $script:TlsByHost.Count)
    }

    It '<Domain>' -ForEach $DomainCases {
        $hop = @($HopsByDomain[$Domain])
        $mail = $MailByDomain[$Domain]
        $sts = $StsByDomain[$Domain]
        $hop.Count | Should -BeGreaterThan 0
        $mail | Should -Not -BeNullOrEmpty
        # The MX answer: one lookup, one status, one DNSSEC state.
        foreach ($h in $hop) {
            $h.MxStatus | Should -Be $mail.Mx.Status
            Test-SameMxDnssec $h.MxDnssecStatus $mail.Mx.DnssecStatus | Should -BeTrue -Because "the hop says $($h.MxDnssecStatus), Get-MailAuthRecords $($mail.Mx.DnssecStatus)"
        }

        if ($hop[0].MxHost -eq '') {
            # No hop: the MX finding Get-MailAuthRecords gives, at its severity (NXDOMAIN is an Error in both) ...
            $hop.Count | Should -Be 1
            # (Mx.DnssecNotValidated says the record check did not settle the state; the hop settles it and says how.)
            foreach ($f in $mail.Mx.Findings | Where-Object { $_.Code -ne 'Mx.DnssecNotValidated' -or $hop[0].MxDnssecStatus -eq 'Unvalidated' }) {
                @($hop[0].Findings | ForEach-Object { Key $_ }) | Should -Contain (Key $f)
            }
            # ... and the same answer from Test-DaneTlsa and Test-SmtpStartTls, as an error of the matching kind.
            $id = if ($mail.Mx.Status -eq 'LookupFailed') { 'MxLookupFailed' } else { 'NoMailExchanger' }
            @($DaneErrorsByTarget[$Domain] | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) | Should -Contain $id
            @($TlsErrorsByTarget[$Domain] | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }) | Should -Contain $id
            @($DaneByHost.Keys | Where-Object { $_ -like "$Domain|*" }).Count | Should -Be 0
            return
        }

        @($hop.MxHost) | Should -Be @($mail.Mx.Hosts.HostName)
        foreach ($h in $hop) {
            $host_ = $h.MxHost
            # TLS: the sessions are Test-SmtpStartTls's, address by address.
            $probes = @($TlsByHost[$host_])
            # (ForEach-Object: an array's own Address() method would hide member enumeration.)
            @($h.Probes | ForEach-Object Address) | Should -Be @($probes | ForEach-Object Address) -Because "$host_ is probed at the same addresses"
            for ($i = 0; $i -lt $probes.Count; $i++) {
                $h.Probes[$i].Outcome | Should -Be $probes[$i].Outcome -Because "$host_ [$($probes[$i].Address)]"
                $h.Probes[$i].TlsEstablished | Should -Be $probes[$i].TlsEstablished
                $h.Probes[$i].PkixValid | Should -Be $probes[$i].PkixValid
                $h.Probes[$i].HostNameMatches | Should -Be $probes[$i].HostNameMatches
            }
            if ($probes.Count -eq 0) {
                $h.Level | Should -Be 'Unreachable'
                @($TlsErrorsByTarget[$host_]).Count | Should -BeGreaterThan 0 -Because "Test-SmtpStartTls says why $host_ was not probed"
            }

            # DANE: the verdict is Test-DaneTlsa's (of the weakest address group).
            $dane = @($DaneByHost["$Domain|$host_"])
            $dane.Count | Should -BeGreaterThan 0
            $weakest = (@($dane | Where-Object Verdict -NE 'Valid') + @($dane))[0]
            $h.DaneVerdict | Should -Be $weakest.Verdict -Because "the hop's DANE part for $host_ is Test-DaneTlsa's"
            $h.Dane.TlsaDnssecStatus | Should -Be $weakest.TlsaDnssecStatus
            $daneKeys = @($dane.Findings | ForEach-Object { Key $_ })
            foreach ($risk in @($h.DeliveryRisks | Where-Object Code -Like 'Dane.*')) { $daneKeys | Should -Contain (Key $risk) }
            $allValid = @($dane | Where-Object Verdict -NE 'Valid').Count -eq 0
            ($h.Level -eq 'DaneAuthenticated') | Should -Be ($h.MxDnssecStatus -eq 'Secure' -and $allValid) -Because "DANE authenticates $host_ exactly when Test-DaneTlsa validates it under a signed MX RRset"
            if ($h.MxDnssecStatus -eq 'Secure' -and @($dane | Where-Object Verdict -In 'NoMatch', 'TlsFailed').Count) {
                @($h.DeliveryRisks | Where-Object Code -Like 'Dane.*').Count | Should -BeGreaterThan 0 -Because "a DANE failure Test-DaneTlsa reports for $host_ is a delivery risk"
            }
            if ($Resolver -eq 'NonValidatingResolver') { $h.Level | Should -Not -Be 'DaneAuthenticated' }

            # MTA-STS: the status and the coverage are Get-MtaStsPolicy's.
            $h.MtaSts.Status | Should -Be $sts.Status
            if ($sts.Status -in 'Valid', 'ModeNone') { $h.MtaStsMode | Should -Be $sts.Mode }
            $m = @($sts.MxResults | Where-Object MxHost -EQ $host_) | Select-Object -First 1
            $h.MtaStsCovered | Should -Be $m.Covered
            $h.MtaSts.TlsOk | Should -Be $m.TlsOk
            $h.MtaSts.CertificateValid | Should -Be $m.CertificateValid
            $h.MtaSts.WouldDeliver | Should -Be $m.WouldDeliver
            $stsKeys = @($sts.Findings | ForEach-Object { Key $_ })
            foreach ($risk in @($h.DeliveryRisks | Where-Object Code -Like 'MtaSts.*')) { $stsKeys | Should -Contain (Key $risk) }
            if ($h.Level -eq 'MtaStsEnforced') { ($sts.Enforced -and $m.WouldDeliver) | Should -BeTrue }
            if ($sts.Enforced -and $m.WouldDeliver -eq $false) { @($h.DeliveryRisks | Where-Object Code -Like 'MtaSts.*').Count | Should -BeGreaterThan 0 }
            if ($sts.Status -in 'FetchFailed', 'InvalidPolicy', 'InvalidRecord', 'MultipleRecords', 'LookupFailed') {
                # A published but unusable policy is named on the hop with Get-MtaStsPolicy's findings and severities.
                $hopKeys = @($h.Findings | ForEach-Object { Key $_ })
                foreach ($f in @($sts.Findings | Where-Object { $_.Severity -ge [MailSecurity.Severity]::Error })) { $hopKeys | Should -Contain (Key $f) }
            }
        }

        # Test-DaneTlsa looked at exactly the hop's hosts.
        @($DaneByHost.Keys | Where-Object { $_ -like "$Domain|*" } | ForEach-Object { ($_ -split '\|', 2)[1] } | Sort-Object -Unique) | Should -Be @($hop.MxHost | Sort-Object -Unique)
    }
}
