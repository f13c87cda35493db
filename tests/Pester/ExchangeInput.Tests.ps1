# Input from Exchange and other modules: objects that behave like the Exchange Management Shell's (compiled types whose
# ToString is the name, as SmtpDomainWithSubdomains, SmtpAddress, SmartHost and AddressSpace are), the same objects as
# remoting or Import-Clixml deserializes them (property bags with Deserialized.* type names), wildcard accepted domains,
# and missing input. Expected domains and hosts come from the objects built here and the lab zones they name.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    . (Join-Path $PSScriptRoot 'ExchangeStandIn.ps1')

    # Export-Clixml, then Import-Clixml: what a remoting session or a saved run gives back.
    function ConvertTo-Deserialized([object[]] $InputObject) {
        $path = Join-Path $TestDrive ("{0}.xml" -f [guid]::NewGuid().ToString('N'))
        $InputObject | Export-Clixml -Path $path -Depth 5
        Import-Clixml -Path $path
    }
}

Describe 'Exchange-style objects bind by what they name' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'binds an accepted domain whose DomainName is an SmtpDomainWithSubdomains object (not "@{...}")' {
        $ad = New-AcceptedDomain -Name 'Contoso secure' -Domain 'secure.test'
        $errs = $null
        $r = $ad | Get-MailAuthRecords -DnsServer $Lab.Resolver -DkimSelector selector1 -ErrorVariable errs
        @($errs).Count | Should -Be 0
        $r.Domain | Should -Be 'secure.test'
        $r.Findings.Code | Should -Not -Contain 'Input.WildcardDomain'
    }

    It 'checks a wildcard accepted domain (*.secure.test) as its parent, says so with Input.WildcardDomain, and never asks DNS for "*"' {
        $ad = New-AcceptedDomain -Name 'Contoso and subdomains' -Domain 'secure.test' -IncludeSubDomains
        $out = $ad | Get-MailAuthRecords -DnsServer $Lab.Resolver -DkimSelector selector1 -Verbose 4>&1
        $r = $out | Where-Object { $_ -is [MailSecurity.MailAuthReport] }
        $r.Domain | Should -Be 'secure.test'
        $w = $r.Findings | Where-Object Code -EQ 'Input.WildcardDomain'
        $w.Severity | Should -Be 'Info'
        $w.Target | Should -Be '*.secure.test'
        $w.Message | Should -Match 'secure\.test itself was checked'
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^DNS .*\*' }).Count | Should -Be 0
        # The same rule for a typed name, and for every row of Resolve-HopSecurity.
        (Get-MtaStsPolicy -Domain '*.sts-enforce.test' -DnsServer $Lab.Resolver -SkipMxCheck).Findings.Code | Should -Contain 'Input.WildcardDomain'
        $hops = @($ad | Resolve-HopSecurity -DnsServer $Lab.Resolver)
        $hops.Count | Should -Be 2
        foreach ($h in $hops) { $h.Domain | Should -Be 'secure.test'; $h.Findings.Code | Should -Contain 'Input.WildcardDomain' }
    }

    It 'refuses "*" alone and a "*" inside a name as InvalidDomainName' {
        $errs = $null
        $out = Get-MailAuthRecords -Domain '*', 'mx*.secure.test' -DnsServer $Lab.Resolver -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        @($errs).Count | Should -Be 2
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.GetMailAuthRecordsCommand' }
        $errs[0].Exception.Message | Should -Match 'every domain'
    }

    It 'takes the domain of a mailbox''s PrimarySmtpAddress, and the address as the SPF sender' {
        $mbx = [Contoso.Exchange.Mailbox]::new('Alice Example', 'alice@good.spf-lab.test')
        (Get-MtaStsPolicy -Domain ([Contoso.Exchange.Mailbox]::new('Bob', 'bob@sts-enforce.test')) -DnsServer $Lab.Resolver -SkipMxCheck).Domain | Should -Be 'sts-enforce.test'
        $spf = $mbx | Test-SpfRecord -IPAddress 192.0.2.10 -DnsServer $Lab.Resolver
        $spf.Domain | Should -Be 'good.spf-lab.test'
        $spf.Sender | Should -Be 'alice@good.spf-lab.test'
        $spf.Result | Should -Be 'Pass'
    }

    It 'probes a send connector''s smart hosts with Test-SmtpStartTls' {
        $sc = [Contoso.Exchange.SendConnector]::new('To partner', @('valid.mx.smtp.test'), @('*'))
        $p = $sc | Test-SmtpStartTls -DnsServer $Lab.Resolver
        @($p).Count | Should -Be 1
        $p.HostName | Should -Be 'valid.mx.smtp.test'
        $p.Domain | Should -BeNullOrEmpty
    }

    It 'probes the MX hosts of a DNS-routed send connector''s address spaces, and refuses the "*" address space' {
        $sc = [Contoso.Exchange.SendConnector]::new('Internet', @(), @('multi.smtp.test'))
        $p = $sc | Test-SmtpStartTls -DnsServer $Lab.Resolver
        @($p.HostName) | Should -Be @('valid.mx.smtp.test', 'two-addresses.mx.smtp.test', 'two-addresses.mx.smtp.test', 'no-starttls.mx.smtp.test')
        @($p.Domain | Select-Object -Unique) | Should -Be @('multi.smtp.test')
        $errs = $null
        $out = [Contoso.Exchange.SendConnector]::new('All', @(), @('*')) | Test-SmtpStartTls -DnsServer $Lab.Resolver -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.TestSmtpStartTlsCommand'
    }

    It 'reads the same objects after Export-Clixml / Import-Clixml (Deserialized.* property bags)' {
        $objects = @(
            New-AcceptedDomain -Name 'Contoso secure' -Domain 'secure.test'
            New-AcceptedDomain -Name 'Contoso and subdomains' -Domain 'sts-enforce.test' -IncludeSubDomains
            [Contoso.Exchange.Mailbox]::new('Carol', 'carol@nullmx.test')
        )
        $back = @(ConvertTo-Deserialized $objects)
        $back[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.Contoso.Exchange.AcceptedDomain'
        $back[0].DomainName.PSObject.TypeNames[0] | Should -Be 'Deserialized.Contoso.Exchange.SmtpDomainWithSubdomains'
        $r = @($back | Get-MtaStsPolicy -DnsServer $Lab.Resolver -SkipMxCheck)
        @($r.Domain) | Should -Be @('secure.test', 'sts-enforce.test', 'nullmx.test')
        $r[1].Findings.Code | Should -Contain 'Input.WildcardDomain'
        $r[0].Findings.Code | Should -Not -Contain 'Input.WildcardDomain'
    }

    It 'reads remoting-style property bags built by hand (DomainName as a string or as a bag without a usable ToString)' {
        $asString = [pscustomobject]@{ PSTypeName = 'Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain'; Name = 'Contoso'; DomainName = 'secure.test' }
        $asBag = [pscustomobject]@{ PSTypeName = 'Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.AcceptedDomain'; Name = 'Contoso'
            DomainName = [pscustomobject]@{ PSTypeName = 'Deserialized.Microsoft.Exchange.Data.SmtpDomainWithSubdomains'; Domain = 'secure.test'; IncludeSubDomains = $true } }
        $r = @($asString, $asBag | Get-MtaStsPolicy -DnsServer $Lab.Resolver -SkipMxCheck)
        @($r.Domain) | Should -Be @('secure.test', 'secure.test')
        $r[1].Findings.Code | Should -Contain 'Input.WildcardDomain'
    }

    It 'binds accepted domains into every domain cmdlet (<Command>)' -ForEach @(
        @{ Command = 'Get-MailAuthRecords'; Extra = @{ DkimSelector = 'selector1' } }
        @{ Command = 'Get-MtaStsPolicy'; Extra = @{ SkipMxCheck = $true } }
        @{ Command = 'Test-DaneTlsa'; Extra = @{} }
        @{ Command = 'Test-SmtpStartTls'; Extra = @{} }
        @{ Command = 'Test-SpfRecord'; Extra = @{ IPAddress = '192.0.2.10' } }
        @{ Command = 'Resolve-HopSecurity'; Extra = @{} }
    ) {
        $ad = New-AcceptedDomain -Name 'Contoso secure' -Domain 'secure.test'
        $errs = $null
        $r = @($ad | & $Command -DnsServer $Lab.Resolver @Extra -ErrorVariable errs -ErrorAction SilentlyContinue)
        @($errs | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidDomainName*' -or $_.Exception.Message -match '@\{' }).Count | Should -Be 0
        $r.Count | Should -BeGreaterThan 0
        foreach ($x in $r) { $x.Domain | Should -Be 'secure.test' }
    }
}

Describe 'No input is an error, not silence' {
    It '<Command> with nothing piped in writes NoInput' -ForEach @(
        @{ Command = 'Get-MailAuthRecords' }, @{ Command = 'Get-MtaStsPolicy' }, @{ Command = 'Test-DaneTlsa' }, @{ Command = 'Test-SmtpStartTls' }, @{ Command = 'Resolve-HopSecurity' }
    ) {
        $errs = $null
        $out = @() | & $Command -DnsServer 127.0.53.5 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'NoInput,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'Test-SpfRecord with nothing piped in writes NoInput' {
        $errs = $null
        $null = @() | Test-SpfRecord -IPAddress 192.0.2.1 -DnsServer 127.0.53.5 -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'NoInput,MailSecurity.Commands.TestSpfRecordCommand'
    }

    It '<Command> with $null piped in writes an error' -ForEach @(
        @{ Command = 'Get-MailAuthRecords' }, @{ Command = 'Resolve-HopSecurity' }, @{ Command = 'Test-SmtpStartTls' }
    ) {
        $errs = $null
        $out = $null | & $Command -DnsServer 127.0.53.5 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        @($errs).Count | Should -BeGreaterThan 0
    }

    It 'refuses an object that names no domain with a message that says what it looked for' {
        $errs = $null
        $out = [pscustomobject]@{ Foo = 1 } | Get-MailAuthRecords -DnsServer 127.0.53.5 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        $errs[0].Exception.Message | Should -Match 'DomainName, Domain, PrimarySmtpAddress'
    }
}
