# The default views (MailSecurity.Format.ps1xml) of every result type, rendered with Out-String: key columns present
# within a 120-column console, plain text when $PSStyle.OutputRendering is PlainText, colour only where the host allows it.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    # Type, how to get one from the lab, and the column headers its default view must show.
    $script:Views = @(
        @{ Type = 'MailSecurity.MailAuthReport'; Get = { Get-MailAuthRecords secure.test -DnsServer $Lab.Resolver }; Headers = 'Domain', 'MX', 'SPF', 'DMARC', 'MTA-STS', 'TLS-RPT', 'Worst' }
        @{ Type = 'MailSecurity.HopSecurity'; Get = { Resolve-HopSecurity sts-uncovered.test -DnsServer $Lab.Resolver }; Headers = 'MxHost', 'Pref', 'Level', 'Encrypted', 'Authenticated', 'DeliveryRisks' }
        @{ Type = 'MailSecurity.MtaStsPolicyResult'; Get = { Get-MtaStsPolicy sts-enforce.test -DnsServer $Lab.Resolver }; Headers = 'Domain', 'Status', 'Mode', 'Id', 'MaxAge', 'Worst' }
        @{ Type = 'MailSecurity.SmtpTlsProbe'; Get = { Test-SmtpStartTls -HostName mx1.secure.test -DnsServer $Lab.Resolver }; Headers = 'HostName', 'Address', 'Outcome', 'TLS', 'PKIX', 'Name', 'Days' }
        @{ Type = 'MailSecurity.SpfCheckResult'; Get = { Test-SpfRecord good-auth.test 192.0.2.10 -DnsServer $Lab.Resolver }; Headers = 'Domain', 'IPAddress', 'Result', 'MatchedMechanism', 'Lookups' }
        @{ Type = 'MailSecurity.Finding'; Get = { (Get-MailAuthRecords bogus.test -DnsServer $Lab.Resolver).Findings }; Headers = 'Severity', 'Code', 'Message' }
        @{ Type = 'MailSecurity.SpfPolicy'; Get = { (Get-MailAuthRecords good-auth.test -DnsServer $Lab.Resolver).Spf }; Headers = 'Verdict', 'Record', 'DnsLookupCount' }
        @{ Type = 'MailSecurity.DmarcPolicy'; Get = { (Get-MailAuthRecords good-auth.test -DnsServer $Lab.Resolver).Dmarc }; Headers = 'Status', 'Policy', 'PolicyDomain', 'RawRecord' }
        @{ Type = 'MailSecurity.DkimSummary'; Get = { (Get-MailAuthRecords good-auth.test -DnsServer $Lab.Resolver -DkimSelector selector1).Dkim }; Headers = 'Status', 'SelectorsFound', 'Keys' }
        @{ Type = 'MailSecurity.DkimKey'; Get = { (Get-MailAuthRecords good-auth.test -DnsServer $Lab.Resolver -DkimSelector selector1).Dkim.Keys }; Headers = 'Selector', 'Type', 'Status' }
        @{ Type = 'MailSecurity.MtaStsMxResult'; Get = { (Get-MtaStsPolicy sts-uncovered.test -DnsServer $Lab.Resolver).MxResults }; Headers = 'MxHost', 'Covered', 'WouldDeliver' }
        # -Domain results carry <type>#Domain, whose table starts with the domain.
        @{ Type = 'MailSecurity.SmtpTlsProbe#Domain'; Get = { Test-SmtpStartTls -Domain secure.test -DnsServer $Lab.Resolver }; Headers = 'Domain', 'HostName', 'Address', 'Outcome', 'TLS', 'PKIX', 'Name', 'Days' }
        @{ Type = 'MailSecurity.DaneResult#Domain'; Get = { Test-DaneTlsa -Domain dane.test -DnsServer $Lab.Resolver }; Headers = 'Domain', 'HostName', 'Verdict', 'TLSA', 'Match' }
        @{ Type = 'MailSecurity.DaneResult'; Get = { Test-DaneTlsa -HostName ee.dane.test -DnsServer $Lab.Resolver }; Headers = 'HostName', 'Address', 'Verdict', 'TLSA', 'Match' }
        @{ Type = 'MailSecurity.ResultChange'; Get = { Compare-MailSecurityResult -ReferenceObject @() -DifferenceObject (Test-SmtpStartTls -HostName expired.mx.smtp.test -DnsServer $Lab.Resolver) }; Headers = 'Severity', 'Target', 'Kind', 'Code / Property', 'Before', 'After' }
        @{ Type = 'MailSecurity.MessagePath'; Get = { Resolve-HopSecurity -Path (Join-Path $PSScriptRoot '../corpus/headers/02-postfix-cleartext.eml') -SkipSignatureVerification }; Headers = 'Source', 'Hops', 'AllEncrypted', 'Weakest', 'Worst' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    $script:Esc = [char]27
    function Format-Default($objects, [string] $rendering) {
        $saved = $PSStyle.OutputRendering
        try {
            $PSStyle.OutputRendering = $rendering
            $objects | Out-String -Width 120
        } finally { $PSStyle.OutputRendering = $saved }
    }
}

Describe 'Default views' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Type> shows its key columns in 120 columns, as plain text' -ForEach $Views {
        $objects = @(& $Get)
        $objects.Count | Should -BeGreaterThan 0
        $objects[0].PSObject.TypeNames[0] | Should -Be $Type
        $text = Format-Default $objects 'PlainText'
        $text | Should -Not -Match $Esc
        foreach ($line in $text -split "`r?`n") { $line.Length | Should -BeLessOrEqual 120 }
        foreach ($h in $Headers) { $text | Should -Match ('(?m)(^|\s){0}(\s|:|$)' -f [regex]::Escape($h)) }
    }

    It 'shows the domain only where one was asked for (-Domain), not for hosts checked on their own' {
        $byHost = Format-Default (Test-SmtpStartTls -HostName mx1.secure.test -DnsServer $Lab.Resolver) 'PlainText'
        ($byHost -split "`r?`n" | Where-Object { $_ -match '^HostName\s' }).Count | Should -Be 1
        $byHost | Should -Not -Match '(?m)^Domain\s'
        $byDomain = Format-Default (Test-SmtpStartTls -Domain secure.test -DnsServer $Lab.Resolver) 'PlainText'
        $byDomain | Should -Match '(?m)^Domain\s+HostName\s'
        $byDomain | Should -Match '(?m)^secure\.test\s+mx1\.secure\.test\s'
        (Format-Default (Test-DaneTlsa -Domain dane.test -DnsServer $Lab.Resolver) 'PlainText') | Should -Match '(?m)^dane\.test\s+ee\.dane\.test\s'
    }

    It 'shows one HopSecurity row per MX with its level and delivery risk' {
        $text = Format-Default (Resolve-HopSecurity sts-uncovered.test -DnsServer $Lab.Resolver) 'PlainText'
        $text | Should -Match 'Domain: sts-uncovered\.test'
        $text | Should -Match 'mx1\.sts-uncovered\.test\s+10 MtaStsEnforced\s+True\s+True'
        $text | Should -Match 'mx2\.sts-uncovered\.test\s+20 OpportunisticTls\s+True\s+False\s+\S+\s+MtaSts\.MxNotCovered'
    }

    It 'lists every HopSecurity property, and has a list view for MtaStsPolicyResult' {
        $hop = Format-Default (Resolve-HopSecurity sts-uncovered.test -DnsServer $Lab.Resolver | Select-Object -First 1 | Format-List) 'PlainText'
        $hop | Should -Match '(?m)^Reason\s+: MTA-STS enforce'
        $hop | Should -Match '(?m)^RequireTlsDetail\s+:'
        $sts = Format-Default (Get-MtaStsPolicy sts-uncovered.test -DnsServer $Lab.Resolver | Format-List) 'PlainText'
        $sts | Should -Match '(?m)^UncoveredMx\s+: mx2\.sts-uncovered\.test'
    }

    It 'colours the level only when the host supports VT sequences and rendering is not PlainText' {
        $text = Format-Default (Resolve-HopSecurity sts-enforce.test, cleartext.hop.test -DnsServer $Lab.Resolver) 'Ansi'
        $green = "$Esc[32mMtaStsEnforced$Esc[0m"
        $red = "$Esc[31mCleartext$Esc[0m"
        if ($Host.UI.SupportsVirtualTerminal) {
            $text.Contains($green) | Should -BeTrue
            $text.Contains($red) | Should -BeTrue
        } else {
            $text.Contains($green) | Should -BeFalse
            $text | Should -Match 'MtaStsEnforced'
        }
    }

    It 'is plain text in a host asked for no colour (NO_COLOR), as in a scheduled task''s log' {
        # PowerShell 7.4+ sets $PSStyle.OutputRendering to PlainText when NO_COLOR is set; the views follow it like PowerShell's own.
        $command = "Import-Module '$($env:MAILSECURITY_MODULE)'; Resolve-HopSecurity sts-enforce.test, cleartext.hop.test -DnsServer $($Lab.Resolver) | Out-String -Width 120"
        $env:NO_COLOR = '1'
        try { $out = (& dotnet pwsh -NoProfile -NonInteractive -Command $command) -join "`n" } finally { Remove-Item Env:NO_COLOR }
        $LASTEXITCODE | Should -Be 0
        $out | Should -Not -Match $Esc
        $out | Should -Match 'mx1\.sts-enforce\.test\s+10 MtaStsEnforced'
        $out | Should -Match 'no-starttls\.mx\.smtp\.test\s+10 Cleartext'
    }

    It 'degrades to plain text where $PSStyle does not exist (Windows PowerShell 5.1)' {
        # The same view code with $PSStyle hidden: what Windows PowerShell 5.1 runs.
        $hop = Resolve-HopSecurity sts-enforce.test -DnsServer $Lab.Resolver
        $view = [xml] (Get-Content -Raw (Join-Path (Split-Path $env:MAILSECURITY_MODULE) 'MailSecurity.Format.ps1xml'))
        $code = $view.Configuration.ViewDefinitions.View | Where-Object Name -eq 'MailSecurity.HopSecurity' |
            ForEach-Object { $_.TableControl.TableRowEntries.TableRowEntry.TableColumnItems.TableColumnItem } | Where-Object ScriptBlock | Select-Object -First 1 -ExpandProperty ScriptBlock
        $code | Should -Match 'Get-Variable PSStyle'
        $context = [System.Collections.Generic.List[psvariable]]::new()
        $context.Add([psvariable]::new('_', $hop))
        $context.Add([psvariable]::new('PSStyle', $null))
        $result = [scriptblock]::Create($code).InvokeWithContext($null, $context)
        $result | Should -Be 'MtaStsEnforced'
    }
}
