# Exports: every result type writes flat, scalar CSV cells (no type names, no property bags, no multi-line cells) and a
# compact JSON document (ConvertTo-Json -Depth 5 under 16 KB, never truncated), with certificates as thumbprint,
# subject, issuer, validity and DNS names; the certificate itself stays reachable through methods.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    # One typical run per result type: lab names whose results carry the deep parts (an SPF include tree, DKIM keys,
    # certificate chains, TLSA records, a DMARC tree walk, a policy fetch, nested SPF includes, a message's hops).
    $script:Types = @(
        @{ Type = 'MailSecurity.MailAuthReport'; Get = { Get-MailAuthRecords auth-good.test -DkimSelector selector1, selector2 -DnsServer $Lab.Resolver } }
        @{ Type = 'MailSecurity.SpfCheckResult'; Get = { Test-SpfRecord good.spf-lab.test 198.18.0.25 -DnsServer $Lab.Resolver } }
        @{ Type = 'MailSecurity.SmtpTlsProbe'; Get = { Test-SmtpStartTls -Domain multi.smtp.test -DnsServer $Lab.Resolver -TlsVersion Tls12, Tls13 } }
        @{ Type = 'MailSecurity.MtaStsPolicyResult'; Get = { Get-MtaStsPolicy sts-enforce.test, sts-uncovered.test -DnsServer $Lab.Resolver } }
        @{ Type = 'MailSecurity.DaneResult'; Get = { Test-DaneTlsa -Domain dane.test -DnsServer $Lab.Resolver } }
        # dane.test: DANE evidence and one address per MX; multi.smtp.test: a host with two addresses (two probes).
        @{ Type = 'MailSecurity.HopSecurity'; Get = { Resolve-HopSecurity dane.test, multi.smtp.test, sts-uncovered.test -DnsServer $Lab.Resolver } }
        @{ Type = 'MailSecurity.MessagePath'; Get = { Resolve-HopSecurity -Path (Join-Path $PSScriptRoot '../corpus/headers/09-gmail-inbound.eml') -SkipSignatureVerification } }
        @{ Type = 'MailSecurity.ResultChange'; Get = {
                $path = Join-Path $TestDrive 'before.xml'
                Get-MtaStsPolicy sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck | Export-Clixml -Path $path
                $before = Import-Clixml -Path $path
                $before.Id = 'older1'; $before.Findings = @()
                Compare-MailSecurityResult -ReferenceObject $before -DifferenceObject (Get-MtaStsPolicy sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck) } }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment

    # The cells of an Export-Csv file as Import-Csv reads them back (quoted multi-line cells included).
    function Get-CsvCells([object[]] $InputObject) {
        $path = Join-Path $TestDrive ("{0}.csv" -f [guid]::NewGuid().ToString('N'))
        $InputObject | Export-Csv -Path $path -NoTypeInformation
        foreach ($row in Import-Csv -Path $path) {
            foreach ($p in $row.PSObject.Properties) { [pscustomobject]@{ Column = $p.Name; Value = [string] $p.Value } }
        }
    }
}

Describe 'Export-Csv and ConvertTo-Json of every result type' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Type>: Export-Csv writes no type-name cell, no property bag and no multi-line cell' -ForEach $Types {
        $results = @(& $Get | Where-Object { $_.PSObject.TypeNames -contains $Type })
        $results.Count | Should -BeGreaterThan 0
        $cells = @(Get-CsvCells $results)
        $cells.Count | Should -BeGreaterThan 5
        foreach ($c in $cells) {
            $c.Value | Should -Not -Match '^(System|MailSecurity)\.[A-Za-z.]+' -Because "$Type.$($c.Column) must be a value, not a type name"
            $c.Value | Should -Not -Match '@\{' -Because "$Type.$($c.Column) must not be a property bag"
            $c.Value | Should -Not -Match '[\r\n]' -Because "$Type.$($c.Column) must fit one line"
        }
    }

    It '<Type>: ConvertTo-Json -Depth 5 of one result is under 16 KB and not truncated' -ForEach $Types {
        $results = @(& $Get | Where-Object { $_.PSObject.TypeNames -contains $Type })
        $results.Count | Should -BeGreaterThan 0
        foreach ($r in $results) {
            $warnings = $null
            $json = $r | ConvertTo-Json -Depth 5 -WarningVariable warnings -WarningAction SilentlyContinue
            @($warnings) | Should -BeNullOrEmpty -Because "the JSON of $Type must not be truncated at depth 5"
            [Text.Encoding]::UTF8.GetByteCount($json) | Should -BeLessThan 16KB
            # A certificate is a summary, never the serialised X509Certificate2 (RawData, HasPrivateKey, PublicKey...).
            $json | Should -Not -Match '"RawData"|"HasPrivateKey"|BEGIN CERTIFICATE'
        }
    }
}

Describe 'Certificates in results' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $script:Probe = Test-SmtpStartTls -HostName valid.mx.smtp.test -DnsServer $Lab.Resolver
        $script:Leaf = Join-Path $Lab.LabDir 'pki/smtp-valid.crt'   # tests/lab/certs/smtp.list: smtp-valid san=valid.mx.smtp.test,...
    }

    It 'summarises the server certificate as the lab issued it (subject, issuer, thumbprint, validity, DNS names, key)' {
        $expected = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Leaf)
        $c = $Probe.Certificate
        $c.Thumbprint | Should -Be $expected.Thumbprint
        $c.Subject | Should -Be $expected.Subject
        $c.Issuer | Should -Be $expected.Issuer
        $c.NotAfter.UtcDateTime | Should -Be $expected.NotAfter.ToUniversalTime()
        @($c.DnsNames) | Should -Contain 'valid.mx.smtp.test'
        $c.PublicKey | Should -Match '^(RSA|ECDSA) \d+$'
        # The SPKI digest is what a DANE 3 1 1 record publishes (RFC 6698 §2.1).
        $spki = [System.Security.Cryptography.SHA256]::HashData($expected.PublicKey.ExportSubjectPublicKeyInfo())
        $c.SpkiSha256 | Should -Be (($spki | ForEach-Object { $_.ToString('x2') }) -join '')
    }

    It 'keeps the certificate itself reachable: ToX509Certificate2() and ToPem()' {
        $x = $Probe.Certificate.ToX509Certificate2()
        $x | Should -BeOfType ([System.Security.Cryptography.X509Certificates.X509Certificate2])
        $x.Thumbprint | Should -Be $Probe.Certificate.Thumbprint
        $pem = $Probe.Certificate.ToPem()
        $pem | Should -Match '^-----BEGIN CERTIFICATE-----\n'
        [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem($pem).Thumbprint | Should -Be $Probe.Certificate.Thumbprint
        @($Probe.CertificateChain).Count | Should -BeGreaterOrEqual 2
    }

    It 'writes the flat certificate columns and the finding codes to CSV' {
        $row = @($Probe) | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $row.CertificateThumbprint | Should -Be $Probe.Certificate.Thumbprint
        $row.CertificateSubject | Should -Be $Probe.Certificate.Subject
        $row.CertificateIssuer | Should -Be $Probe.Certificate.Issuer
        $row.CertificateNotAfter | Should -Not -BeNullOrEmpty
        $expired = Test-SmtpStartTls -HostName expired.mx.smtp.test -DnsServer $Lab.Resolver
        $csv = @($expired) | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $csv.Findings | Should -Be ((@($expired.Findings.Code) | Select-Object -Unique) -join ';')
        $csv.Findings | Should -Match 'Tls\.CertificateExpired'
    }
}
