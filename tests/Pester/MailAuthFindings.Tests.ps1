# Get-MailAuthRecords finding codes against the lab: for every code of the SPF, DMARC, DKIM key-record, BIMI, TLS-RPT,
# MTA-STS TXT and MX areas, a lab domain where it fires and one where it does not (MailAuthFindings.cases.psd1, zones
# in tests/lab/zones), plus hostile input end to end and the shared DNS cache of a bulk run.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    $data = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'MailAuthFindings.cases.psd1')
    $script:Cases = $data.Cases
    $script:NotReachable = $data.NotReachableInLab
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    $script:Data = Import-PowerShellDataFile (Join-Path $PSScriptRoot 'MailAuthFindings.cases.psd1')

    # The areas whose codes must all have a case: every catalog code of these prefixes except those another cmdlet
    # emits (OtherCmdletCodes in the cases file: MTA-STS policy codes, message-mode DKIM signature codes).
    $script:AreaPrefixes = 'Spf', 'Dmarc', 'Dkim', 'Bimi', 'TlsRpt', 'MtaSts', 'Mx'
    $script:OtherCmdletCodes = @($Data.OtherCmdletCodes.Values | ForEach-Object { $_ })
    # The common selectors DKIM discovery asks (DkimSelectors.Common, internal machinery: read by reflection).
    $script:CommonSelectorCount = [MailSecurity.FindingCatalog].Assembly.GetType('MailSecurity.Dkim.DkimSelectors', $true).GetProperty('Common').GetValue($null).Count
    function Get-AreaCode {
        foreach ($code in [MailSecurity.FindingCatalog]::Descriptors.Code) {
            if ($AreaPrefixes -contains $code.Split('.')[0] -and $OtherCmdletCodes -notcontains $code) { $code }
        }
    }

    # One Get-MailAuthRecords run per (resolver, selector list) with every domain of that group: the same cmdlet output
    # each case then inspects. Keys: "<resolver>|<selectors or *>|<domain>".
    function Get-RunKey([string] $Resolver, $Selector, [string] $Domain) {
        $sel = if ($null -eq $Selector) { '*' } else { '[' + (@($Selector) -join ',') + ']' }
        "$Resolver|$sel|$Domain"
    }
    $runs = @{}
    foreach ($c in $Data.Cases | Where-Object { -not $_.Cmdlet }) {
        foreach ($side in 'Trigger', 'Clean') {
            $resolver = if ($c["$($side)Resolver"]) { $c["$($side)Resolver"] } else { 'Resolver' }
            $selector = if ($c.ContainsKey("$($side)Selector")) { $c["$($side)Selector"] } else { $null }
            $group = Get-RunKey $resolver $selector ''
            if (-not $runs[$group]) { $runs[$group] = @{ Resolver = $resolver; Selector = $selector; Domains = [Collections.Generic.List[string]]::new() } }
            if (-not $runs[$group].Domains.Contains($c[$side])) { $runs[$group].Domains.Add($c[$side]) }
        }
    }
    $script:Reports = @{}
    if (Test-LabAvailable) {
        foreach ($group in $runs.Values) {
            $p = @{ DnsServer = $Lab.($group.Resolver); ErrorAction = 'SilentlyContinue' }
            if ($null -ne $group.Selector) { $p.DkimSelector = @($group.Selector) }
            $out = $group.Domains | Get-MailAuthRecords @p
            for ($i = 0; $i -lt $group.Domains.Count; $i++) {
                $report = @($out)[$i]
                # A DNS question that timed out in the bulk run (seen under heavy machine load: the first question of the
                # DMARC walk of brand.psd.dmarc-lab.test, which made the result TempError and hid the PSD findings) is a
                # fact about scheduling, not about the zone: that domain alone is asked again, so the verdict rests on
                # complete evidence. Deliberate failures in the lab are SERVFAIL/bogus/NXDOMAIN, never timeouts.
                if ($report -and @($report.Findings | Where-Object Message -Match 'timed out at').Count) {
                    $report = Get-MailAuthRecords -Domain $group.Domains[$i] @p -TimeoutSec 30
                }
                $Reports[(Get-RunKey $group.Resolver $group.Selector $group.Domains[$i])] = $report
            }
        }
    }

    function Get-CaseResult([hashtable] $Case, [string] $Side) {
        if ($Case.Cmdlet -eq 'Test-SpfRecord') {
            return Test-SpfRecord -Domain $Case[$Side] -IPAddress $Case.IPAddress -DnsServer $Lab.Resolver
        }
        $resolver = if ($Case["$($Side)Resolver"]) { $Case["$($Side)Resolver"] } else { 'Resolver' }
        $selector = if ($Case.ContainsKey("$($Side)Selector")) { $Case["$($Side)Selector"] } else { $null }
        $Reports[(Get-RunKey $resolver $selector $Case[$Side])]
    }
}

Describe 'The finding-code cases' {
    It 'has a case or a NotReachableInLab reason for every code of the SPF, DMARC, DKIM-key, BIMI, TLS-RPT, MTA-STS TXT and MX areas' {
        $catalog = [MailSecurity.FindingCatalog]::Descriptors.Code
        $area = @(Get-AreaCode)
        $area.Count | Should -BeGreaterThan 100
        foreach ($code in $area) { $catalog | Should -Contain $code }
        $covered = @($Data.Cases.Code) + @($Data.NotReachableInLab.Code)
        $missing = $area | Where-Object { $covered -notcontains $_ }
        $missing | Should -BeNullOrEmpty -Because 'every code Get-MailAuthRecords can emit needs lab evidence'
    }

    It 'names only catalog codes of those areas, each once' {
        $area = @(Get-AreaCode)
        $all = @($Data.Cases.Code) + @($Data.NotReachableInLab.Code)
        ($all | Group-Object | Where-Object Count -GT 1).Name | Should -BeNullOrEmpty
        foreach ($code in $all) { $area | Should -Contain $code }
    }

    It 'names only catalog codes of those prefixes as codes of other cmdlets, each once, none also a case' {
        $catalog = [MailSecurity.FindingCatalog]::Descriptors.Code
        $OtherCmdletCodes.Count | Should -Be 47
        ($OtherCmdletCodes | Group-Object | Where-Object Count -GT 1).Name | Should -BeNullOrEmpty
        foreach ($code in $OtherCmdletCodes) {
            $catalog | Should -Contain $code
            $AreaPrefixes | Should -Contain $code.Split('.')[0]
            @($Data.Cases.Code) | Should -Not -Contain $code
        }
    }

    It 'gives every unreachable code a reason' {
        foreach ($n in $Data.NotReachableInLab) { $n.Reason.Length | Should -BeGreaterThan 40 }
    }

    It 'uses only domains of lab zones, and a clean run that differs from the trigger run' {
        $zones = Get-ChildItem (Join-Path $PSScriptRoot '../lab/zones') -Filter '*.test.zone' | ForEach-Object { $_.Name -replace '\.zone$' }
        foreach ($c in $Data.Cases) {
            foreach ($d in $c.Trigger, $c.Clean) {
                # missing.test is the NXDOMAIN case of the DNS tier: a name under test. that no zone holds.
                if ($d -eq 'missing.test') { continue }
                ($zones | Where-Object { $d -eq $_ -or $d.EndsWith(".$_") }) | Should -Not -BeNullOrEmpty -Because "$d must live in a lab zone"
            }
            $same = $c.Trigger -eq $c.Clean -and "$($c.TriggerSelector)" -eq "$($c.CleanSelector)" -and "$($c.TriggerResolver)" -eq "$($c.CleanResolver)"
            $same | Should -BeFalse -Because "$($c.Code) needs a run where it does not fire"
        }
    }
}

Describe 'Get-MailAuthRecords finding codes against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Code> fires on <Trigger>' -ForEach $Cases {
        $r = Get-CaseResult $_ 'Trigger'
        $r | Should -Not -BeNullOrEmpty
        $r.Findings.Code | Should -Contain $Code
        foreach ($k in $Expect.Keys) { "$($r.$k)" | Should -Be "$($Expect[$k])" -Because "$k of $Trigger" }
        $descriptor = [MailSecurity.FindingCatalog]::Find($Code)
        foreach ($f in $r.Findings | Where-Object Code -EQ $Code) {
            $expected = if ($_.Severity) { $_.Severity } else { $descriptor.Severity }
            $f.Severity | Should -Be $expected
            $f.Reference | Should -Be $descriptor.Reference
            $f.Message | Should -Not -BeNullOrEmpty
            $f.Target | Should -Not -BeNullOrEmpty
        }
    }

    It '<Code> does not fire on <Clean>' -ForEach $Cases {
        $r = Get-CaseResult $_ 'Clean'
        $r | Should -Not -BeNullOrEmpty
        $r.Findings.Code | Should -Not -Contain $Code
    }

    It 'finds nothing worse than Info on the all-good domain' {
        $r = Get-MailAuthRecords -Domain auth-good.test -DnsServer $Lab.Resolver
        $r.WorstSeverity | Should -Be 'Info'
        $r.FindingCodes | Should -Be 'Mx.DnssecSecure'
        $r.SpfStatus, $r.DmarcStatus, $r.MtaStsStatus, $r.TlsRptStatus, $r.BimiStatus | Should -Be 'Valid', 'Valid', 'Valid', 'Valid', 'Valid'
        $r.DkimSelectorsFound | Should -Be 'selector1, selector2'
    }
}

Describe 'Hostile input, end to end' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'names the control character in an SPF, DMARC and DKIM record' {
        $spf = Get-MailAuthRecords ctl.spf-lab.test -DnsServer $Lab.Resolver
        $spf.SpfStatus | Should -Be 'PermError'
        ($spf.Findings | Where-Object Code -EQ 'Spf.SyntaxError').Message | Should -Match ([regex]::Escape('\x01'))
        $dmarc = Get-MailAuthRecords ctl.dmarc-lab.test -DnsServer $Lab.Resolver
        ($dmarc.Findings | Where-Object Code -EQ 'Dmarc.SyntaxError').Message | Should -Match 'control character \\x01'
        $dkim = Get-MailAuthRecords keys.dkim-lab.test -DkimSelector ctl -DnsServer $Lab.Resolver
        ($dkim.Findings | Where-Object Code -EQ 'Dkim.KeySyntaxError').Message | Should -Match ([regex]::Escape('\x01'))
    }

    It 'reads 10 KB TXT records (40 strings, over TCP) and judges them' {
        $spf = Get-MailAuthRecords huge.spf-lab.test -DnsServer $Lab.Resolver
        $spf.SpfStatus | Should -Be 'Valid'
        $spf.SpfRecord.Length | Should -BeGreaterThan 10000
        $spf.SpfRecord | Should -Match '^v=spf1 ip4:198\.51\.100\.0 .* -all$'
        ($spf.Findings | Where-Object Code -EQ 'Spf.RecordTooLong').Message | Should -Match "is $($spf.SpfRecord.Length) characters long"
        $dmarc = Get-MailAuthRecords huge.dmarc-lab.test -DnsServer $Lab.Resolver
        $dmarc.DmarcPolicy | Should -Be 'Reject'
        $dmarc.Dmarc.Record.Raw.Length | Should -Be 10240
        $dmarc.Findings.Code | Should -Contain 'Dmarc.UnknownTag'
        $dkim = Get-MailAuthRecords keys.dkim-lab.test -DkimSelector huge -DnsServer $Lab.Resolver
        $dkim.Findings.Code | Should -Contain 'Dkim.KeyUnparseable'
        # 'v=DKIM1; k=rsa; p=' (18 characters) and 10240 characters of base64, joined from 41 strings.
        $dkim.Dkim.Keys[0].Raw.Length | Should -Be (18 + 10240)
    }

    It 'stops at an include loop and at a 50-deep include chain, quickly' {
        $elapsed = Measure-Command {
            $script:loop = Get-MailAuthRecords loop-a.spf-lab.test -DnsServer $Lab.Resolver
            $script:chain = Get-MailAuthRecords chain01.spf-lab.test -DnsServer $Lab.Resolver
        }
        $elapsed.TotalSeconds | Should -BeLessThan 20
        $loop.SpfStatus | Should -Be 'PermError'
        ($loop.Findings | Where-Object Code -EQ 'Spf.IncludeLoop').Message | Should -Match 'leads back to loop-a\.spf-lab\.test'
        $chain.SpfStatus | Should -Be 'PermError'
        ($chain.Findings | Where-Object Code -EQ 'Spf.TooManyLookups').Message | Should -Match 'at least \d+ DNS-querying terms'
        # The tree is followed to its depth bound, not to chain50.
        $node = $chain.Spf.Tree | Sort-Object Depth | Select-Object -Last 1
        $node.Depth | Should -BeLessThan 50
        $node.Error | Should -Match 'too deep'
    }

    It 'takes non-ASCII and punycode domains, in any case, with or without a trailing dot' {
        $inputs = 'bücher.spf-lab.test', 'XN--BCHER-KVA.spf-lab.test.', 'xn--bcher-kva.SPF-LAB.test'
        $out = $inputs | Get-MailAuthRecords -DnsServer $Lab.Resolver
        @($out).Count | Should -Be 3
        foreach ($r in $out) {
            $r.Domain | Should -Be 'xn--bcher-kva.spf-lab.test'
            $r.SpfStatus | Should -Be 'Valid'
            $r.SpfRecord | Should -Be 'v=spf1 ip4:192.0.2.0/24 -all'
        }
        (Get-MailAuthRecords 'good.spf-lab.test.' -DnsServer $Lab.Resolver).Domain | Should -Be 'good.spf-lab.test'
        # A trailing dot inside the record is a fully qualified include (RFC 7208 §7.1 domain-end), not an error.
        (Get-MailAuthRecords dot.spf-lab.test -DnsServer $Lab.Resolver).SpfStatus | Should -Be 'Valid'
    }

    It 'names the non-ASCII character an SPF record may not hold' {
        $r = Get-MailAuthRecords utf8.spf-lab.test -DnsServer $Lab.Resolver
        $r.SpfStatus | Should -Be 'PermError'
        ($r.Findings | Where-Object Code -EQ 'Spf.SyntaxError').Message | Should -Match 'non-ASCII character U\+00FC'
    }

    It 'reports empty, blank and wildcard selectors as Dkim.InvalidSelector without asking DNS' {
        foreach ($sel in @(@(''), @('   '), @('*'), @())) {
            $v = Get-MailAuthRecords keys.dkim-lab.test -DkimSelector $sel -DnsServer $Lab.Resolver -Verbose 4>&1
            $r = $v | Where-Object { $_ -is [MailSecurity.MailAuthReport] }
            $r.Findings.Code | Should -Contain 'Dkim.InvalidSelector'
            $r.DkimStatus | Should -Be 'NoneFound'
            ($r.Findings | Where-Object Code -EQ 'Dkim.NoSelectorFound').Severity | Should -Be 'Error'
            @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '_domainkey' }) | Should -BeNullOrEmpty
        }
    }

    It 'looks up a non-ASCII selector as its A-label' {
        $alabel = [Globalization.IdnMapping]::new().GetAscii('sélecteur')
        $v = Get-MailAuthRecords keys.dkim-lab.test -DkimSelector 'sélecteur' -DnsServer $Lab.Resolver -Verbose 4>&1
        $asked = @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message |
            Where-Object { $_ -like "DNS $alabel._domainkey.keys.dkim-lab.test TXT @*" })
        $asked.Count | Should -Be 1
        $r = $v | Where-Object { $_ -is [MailSecurity.MailAuthReport] }
        # No key there: the selector is listed among those asked without a record.
        @($r.Dkim.SelectorsNotFound) | Should -Be @($alabel)
        ($r.Findings | Where-Object Code -EQ 'Dkim.NoSelectorFound').Severity | Should -Be 'Warning'
    }

    It 'asks _domainkey.<domain> once instead of every common selector when it does not exist (RFC 8020)' {
        # nokeys.dkim-lab.test has no name below it (tests/lab/zones/dkim-lab.test.zone): NXDOMAIN at _domainkey proves
        # that no selector exists, so the built-in list costs one question, and the result names every selector as absent.
        $v = Get-MailAuthRecords nokeys.dkim-lab.test -DnsServer $Lab.Resolver -Verbose 4>&1
        $asked = @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message |
            Where-Object { $_ -match '^DNS \S*_domainkey\.nokeys\.dkim-lab\.test TXT' })
        $asked.Count | Should -Be 1
        $asked[0] | Should -Match '^DNS _domainkey\.nokeys\.dkim-lab\.test TXT .*: NotExistentDomain'
        $r = $v | Where-Object { $_ -is [MailSecurity.MailAuthReport] }
        $r.DkimStatus | Should -Be 'NoneFound'
        @($r.Dkim.SelectorsNotFound) | Should -Contain 'selector1'
        @($r.Dkim.SelectorsNotFound).Count | Should -Be $CommonSelectorCount
        ($r.Findings | Where-Object Code -EQ 'Dkim.NoSelectorFound').Message | Should -Match 'RFC 8020'
    }

    It 'asks every common selector where _domainkey.<domain> exists without data (an empty non-terminal)' {
        $v = Get-MailAuthRecords hosted.dkim-lab.test -DnsServer $Lab.Resolver -Verbose 4>&1
        $asked = @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message |
            Where-Object { $_ -match '^DNS \S+\._domainkey\.hosted\.dkim-lab\.test TXT' })
        $asked.Count | Should -Be $CommonSelectorCount
        $r = $v | Where-Object { $_ -is [MailSecurity.MailAuthReport] }
        $r.Dkim.SelectorsFound | Should -Be 'selector1'
    }

    It 'gives every part a lookup failure, never "no record", when the resolver never answers' {
        $errs = $null
        $elapsed = Measure-Command {
            $script:r = Get-MailAuthRecords auth-good.test -DkimSelector selector1 -DnsServer $Lab.BlackholeResolver -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        }
        $elapsed.TotalSeconds | Should -BeLessThan 8
        $errs[0].FullyQualifiedErrorId | Should -Be 'DnsTimeout,MailSecurity.Commands.GetMailAuthRecordsCommand'
        $r.MxStatus, $r.SpfStatus, $r.DmarcStatus, $r.DkimStatus, $r.MtaStsStatus, $r.TlsRptStatus, $r.BimiStatus |
            Should -Be 'LookupFailed', 'TempError', 'TempError', 'LookupFailed', 'TempError', 'TempError', 'TempError'
        foreach ($code in 'Mx.LookupFailed', 'Spf.LookupFailed', 'Dmarc.LookupFailed', 'Dkim.LookupFailed', 'MtaSts.RecordLookupFailed', 'TlsRpt.LookupFailed', 'Bimi.LookupFailed') {
            $r.Findings.Code | Should -Contain $code
        }
        foreach ($code in 'Mx.NoMailService', 'Spf.NoRecord', 'Dmarc.NoRecord', 'Dkim.NoSelectorFound', 'MtaSts.NoRecord', 'TlsRpt.RecordMissing', 'Bimi.RecordMissing') {
            $r.Findings.Code | Should -Not -Contain $code
        }
    }

    It 'rejects a 10 KB domain name and one with control characters as InvalidDomainName, and carries on' {
        $errs = $null
        $inputs = (('a' * 10240) + '.test'), "ctl`u{7}.spf-lab.test", 'good.spf-lab.test'
        $out = $inputs |
            Get-MailAuthRecords -DnsServer $Lab.Resolver -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $out.Domain | Should -Be 'good.spf-lab.test'
        @($errs).Count | Should -Be 2
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.GetMailAuthRecordsCommand' }
        $errs[1].Exception.Message | Should -Match 'control'
    }
}

Describe 'A bulk run shares one DNS cache' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'asks each distinct name and type once across domains that share an include provider' {
        $domains = 1..5 | ForEach-Object { "shared$_.spf-lab.test" }
        $stream = $domains | Get-MailAuthRecords -DnsServer $Lab.Resolver -Verbose 4>&1
        $reports = @($stream | Where-Object { $_ -is [MailSecurity.MailAuthReport] })
        $reports.Count | Should -Be 5
        $reports | ForEach-Object { $_.SpfStatus | Should -Be 'Valid' }
        # Every query on the wire is one verbose line "DNS <name> <type> @<server>: ..."; probes are tagged [cd-probe]/[ds-probe].
        $queries = @($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message |
            Where-Object { $_ -match '^DNS \S+ \S+ @' -and $_ -notmatch '\[(cd|ds)-probe\]$' } |
            ForEach-Object { ($_ -split ' ')[1..2] -join ' ' })
        # Each domain's own questions: MX, TXT, _dmarc, _mta-sts, _smtp._tls, default._bimi and _domainkey (whose
        # NXDOMAIN ends the DKIM search, RFC 8020 §2): at least 7 per domain before the shared ones.
        $queries.Count | Should -BeGreaterOrEqual 35
        ($queries | Group-Object | Where-Object Count -GT 1).Name | Should -BeNullOrEmpty
        # The provider's records are asked once for all five domains, as are the shared parents of the DMARC walk.
        foreach ($q in '_spf.provider.spf-lab.test TXT', '_netblocks.provider.spf-lab.test TXT', 'relay.provider.spf-lab.test A', '_dmarc.spf-lab.test TXT', '_dmarc.test TXT') {
            @($queries | Where-Object { $_ -eq $q }).Count | Should -Be 1 -Because $q
        }
        foreach ($d in $domains) { @($queries | Where-Object { $_ -eq "$d TXT" }).Count | Should -Be 1 }
    }
}
