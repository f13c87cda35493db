# Resolve-HopSecurity message mode through the built module: parameter binding (files, text, MimeMessage objects from
# any MimeKit copy), input order, the error model, serialization and format views. Offline: no lab needed.
BeforeDiscovery {
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:CorpusFiles = @(Get-ChildItem (Join-Path $script:Root 'tests/corpus/headers') -Include *.eml, *.txt -Recurse | Sort-Object Name | ForEach-Object { @{ File = $_.FullName; Name = $_.Name } })
}

BeforeAll {
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Corpus = (Resolve-Path (Join-Path $PSScriptRoot '../corpus/headers')).Path
    $script:Postfix = Join-Path $script:Corpus '01-postfix-tls13-submission.eml'
    if (-not ('HopsTest.MimeMessage' -as [type])) {
        # Stands in for a MimeMessage from another MimeKit copy: a different type with the same shape, never cast.
        Add-Type -TypeDefinition @'
namespace HopsTest {
    public sealed class MimeMessage : System.IDisposable {
        private readonly byte[] _bytes;
        public MimeMessage(string path) { _bytes = System.IO.File.ReadAllBytes(path); }
        public string MessageId => "fake-1@example.org";
        public void WriteTo(System.IO.Stream stream, System.Threading.CancellationToken cancellationToken) { stream.Write(_bytes, 0, _bytes.Length); }
        public void Dispose() { }
    }
}
'@
    }
}

Describe 'Resolve-HopSecurity message mode' {
    It 'reads every corpus file <Name> without an error' -ForEach $script:CorpusFiles {
        $result = Resolve-HopSecurity -Path $File -SkipSignatureVerification -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $result.GetType().FullName | Should -Be 'MailSecurity.MessagePath'
        $result.Source | Should -Be $File
    }

    It 'takes files from Get-ChildItem and writes one result per file in input order' {
        $files = @(Get-ChildItem $script:Corpus -Filter '*.eml' | Sort-Object Name | Select-Object -First 8)
        $results = @($files | Resolve-HopSecurity -SkipSignatureVerification -ThrottleLimit 4)
        $results.Count | Should -Be $files.Count
        $results.Source | Should -Be $files.FullName
    }

    It 'expands wildcards in -Path' {
        $results = @(Resolve-HopSecurity -Path (Join-Path $script:Corpus '0*.eml') -SkipSignatureVerification)
        $results.Count | Should -Be @(Get-ChildItem $script:Corpus -Filter '0*.eml').Count
    }

    It 'reads header text, skipping the banner Outlook adds' {
        $text = Get-Content -Raw (Join-Path $script:Corpus '34-outlook-pasted.txt')
        $result = Resolve-HopSecurity -HeaderText $text -SkipSignatureVerification
        $result.HopCount | Should -Be 3
        $result.BodyAvailable | Should -BeFalse
        $result.Findings.Code | Should -Contain 'Message.LeadingTextIgnored'
    }

    It 'accepts a MimeMessage-shaped object from another assembly through the pipeline' {
        $message = [HopsTest.MimeMessage]::new($script:Postfix)
        $result = $message | Resolve-HopSecurity -SkipSignatureVerification
        $result.Source | Should -Be 'Message <fake-1@example.org>'
        $result.HopCount | Should -Be 3
        $result.EncryptedAllHops | Should -BeTrue
    }

    It 'still sends strings and accepted-domain objects to -Domain' {
        # Domain mode answers with HopSecurity rows, not MessagePath: a resolver where nothing listens makes it quick.
        $r1 = 'example.org' | Resolve-HopSecurity -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorAction SilentlyContinue
        $r1 | Should -BeOfType ([MailSecurity.HopSecurity])
        $r1.Domain | Should -Be 'example.org'
        $r2 = [pscustomobject]@{ DomainName = 'example.org' } | Resolve-HopSecurity -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorAction SilentlyContinue
        $r2 | Should -BeOfType ([MailSecurity.HopSecurity])
        $r2.Level | Should -Be 'Unreachable'
    }

    It 'reports a missing file as PathNotFound and carries on' {
        $missing = Join-Path $TestDrive 'missing.eml'
        $results = @(Resolve-HopSecurity -Path $missing, $script:Postfix -SkipSignatureVerification -ErrorVariable errs -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 1
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,MailSecurity.Commands.ResolveHopSecurityCommand'
        $errs[0].TargetObject | Should -Be $missing
    }

    It 'reports text without headers as NotAMessage' {
        { Resolve-HopSecurity -HeaderText 'not a message at all' -SkipSignatureVerification -ErrorAction Stop } | Should -Throw -ErrorId 'NotAMessage,MailSecurity.Commands.ResolveHopSecurityCommand'
    }

    It 'refuses a disposable object that is not a message with InvalidMessageObject' {
        $stream = [System.IO.MemoryStream]::new()
        { $stream | Resolve-HopSecurity -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidMessageObject,MailSecurity.Commands.ResolveHopSecurityCommand'
    }

    It 'reports a failed key lookup as TempError, never as a missing key' {
        $text = @"
Received: from mail.example.org (mail.example.org [192.0.2.25]) by mx.example.net (Postfix) with ESMTPS id 1; Tue, 14 May 2024 10:00:02 +0000
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1; h=from:subject; bh=AAAA; b=BBBB
From: a@example.org
Subject: x

body
"@
        $result = Resolve-HopSecurity -HeaderText $text -DnsServer 127.0.0.1:9 -TimeoutSec 1
        $sig = $result.Authentication.DkimSignatures | Select-Object -First 1
        $sig.Result.ToString() | Should -Be 'TempError'
        $result.Findings.Code | Should -Contain 'Dkim.SignatureTempError'
    }
}

Describe 'Resolve-HopSecurity input forms' {
    BeforeAll {
        $script:Pasted = Join-Path $script:Corpus '34-outlook-pasted.txt'
        $script:Folder = Join-Path $TestDrive 'mail'
        New-Item -ItemType Directory -Path $script:Folder | Out-Null
        Copy-Item $script:Postfix (Join-Path $script:Folder 'a.eml')
        Copy-Item (Join-Path $script:Corpus '34-outlook-pasted.txt') (Join-Path $script:Folder 'b.txt')
        Set-Content -Path (Join-Path $script:Folder 'c.txt') -Value 'shopping list: milk, bread'
    }

    It 'reads Get-Content lines piped in as one message' {
        $results = @(Get-Content $script:Pasted | Resolve-HopSecurity -SkipSignatureVerification)
        $results.Count | Should -Be 1
        $results[0].Source | Should -Be 'HeaderText'
        $results[0].HopCount | Should -Be 3
        $results[0].Findings.Code | Should -Contain 'Message.LeadingTextIgnored'
    }

    It 'reads piped header lines as a message even without a message-mode parameter (not as domains)' {
        # Without the Outlook banner: a line with no "Field:" before any header line is still taken for a domain name.
        $lines = @(Get-Content $script:Pasted | Select-Object -Skip 1)
        $results = @($lines | Resolve-HopSecurity -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs | Should -BeNullOrEmpty
        $results.Count | Should -Be 1
        $results[0] | Should -BeOfType ([MailSecurity.MessagePath])
        $results[0].HopCount | Should -Be 3
    }

    It 'still reports a piped name with a space as InvalidDomainName and carries on' {
        $errs = $null
        $results = @('bad name', 'example.org' | Resolve-HopSecurity -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.ResolveHopSecurityCommand'
        $results | ForEach-Object { $_ | Should -BeOfType ([MailSecurity.HopSecurity]) }
        $results.Domain | Should -Be 'example.org'
    }

    It 'reads Get-Content -Raw piped in as one message' {
        $results = @(Get-Content -Raw $script:Pasted | Resolve-HopSecurity -SkipSignatureVerification)
        $results.Count | Should -Be 1
        $results[0].HopCount | Should -Be 3
    }

    It 'reads an array of lines given to -HeaderText as one message' {
        $results = @(Resolve-HopSecurity -HeaderText (Get-Content $script:Pasted) -SkipSignatureVerification)
        $results.Count | Should -Be 1
        $results[0].HopCount | Should -Be 3
    }

    It 'reads each piped multi-line string as its own message' {
        $a = Get-Content -Raw $script:Pasted
        $b = Get-Content -Raw $script:Postfix
        $results = @($a, $b | Resolve-HopSecurity -SkipSignatureVerification)
        $results.Count | Should -Be 2
        $results.HopCount | Should -Be @(3, 3)
    }

    It 'reads every file of a folder from Get-Item, in name order, instead of taking its name for a domain' {
        $results = @(Get-Item $script:Folder | Resolve-HopSecurity -SkipSignatureVerification -ErrorVariable errs -ErrorAction SilentlyContinue)
        $results | ForEach-Object { $_ | Should -BeOfType ([MailSecurity.MessagePath]) }
        $results.Source | Should -Be @('a.eml', 'b.txt', 'c.txt' | ForEach-Object { Join-Path $script:Folder $_ })
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'NotAMessage,MailSecurity.Commands.ResolveHopSecurityCommand'
    }

    It 'reads a folder given to -Path' {
        @(Resolve-HopSecurity -Path $script:Folder -SkipSignatureVerification -ErrorAction SilentlyContinue).Count | Should -Be 3
    }

    It 'gives a file that is not a message its row (Message.NoHeaders) as well as the NotAMessage error' {
        $result = Resolve-HopSecurity -Path (Join-Path $script:Folder 'c.txt') -SkipSignatureVerification -ErrorVariable errs -ErrorAction SilentlyContinue
        $result | Should -BeOfType ([MailSecurity.MessagePath])
        $result.HeaderCount | Should -Be 0
        $result.Findings.Code | Should -Contain 'Message.NoHeaders'
        $errs.Count | Should -Be 1
    }

    It 'writes one CSV row per file of Get-ChildItem, the non-message included' {
        $csv = Join-Path $TestDrive 'paths.csv'
        Get-ChildItem $script:Folder | Resolve-HopSecurity -SkipSignatureVerification -ErrorAction SilentlyContinue | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 3
        $rows.Source | Should -Be @(Get-ChildItem $script:Folder | Sort-Object Name).FullName
    }

    It 'takes -LiteralPath names with wildcard characters literally' {
        $odd = Join-Path $TestDrive 'mail[1].eml'
        Copy-Item -LiteralPath $script:Postfix -Destination $odd
        $result = Resolve-HopSecurity -LiteralPath $odd -SkipSignatureVerification
        $result.Source | Should -Be $odd
        $result.HopCount | Should -Be 3
        $viaPsPath = Get-Item -LiteralPath $odd | Select-Object PSPath | Resolve-HopSecurity -SkipSignatureVerification
        $viaPsPath.Source | Should -Be $odd
    }

    It 'reports a missing -LiteralPath as PathNotFound' {
        $missing = Join-Path $TestDrive 'none[1].eml'
        { Resolve-HopSecurity -LiteralPath $missing -SkipSignatureVerification -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,MailSecurity.Commands.ResolveHopSecurityCommand'
    }
}

Describe 'Resolve-HopSecurity output' {
    BeforeAll {
        $script:Result = Resolve-HopSecurity -Path (Join-Path $script:Corpus '28-mailing-list.eml') -SkipSignatureVerification
    }

    It 'survives ConvertTo-Json -Depth 5 without truncation' {
        $json = $script:Result | ConvertTo-Json -Depth 5 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        ($json | ConvertFrom-Json).Hops.Count | Should -Be 3
    }

    It 'has flat summary columns for Export-Csv' {
        $csv = Join-Path $TestDrive 'hops.csv'
        $script:Result | Export-Csv -Path $csv -NoTypeInformation
        $row = Import-Csv $csv
        $row.HopCount | Should -Be '3'
        $row.EncryptedAllHops | Should -Be 'True'
        $row.DmarcResult | Should -Be 'fail'
        $row.WeakestHopIndex | Should -Be '1'
    }

    It 'round-trips through Export-Clixml with the hops intact' {
        $xml = Join-Path $TestDrive 'hops.xml'
        $script:Result | Export-Clixml -Path $xml
        $back = Import-Clixml $xml
        $back.Hops.Count | Should -Be 3
        $back.Hops[2].By | Should -Be 'mx.example.net'
        $back.Authentication.Headers.Count | Should -Be 3
    }

    It 'has table views for MessagePath and MessageHop' {
        (Get-FormatData -TypeName MailSecurity.MessagePath).FormatViewDefinition.Control | Should -BeOfType ([System.Management.Automation.TableControl])
        (Get-FormatData -TypeName MailSecurity.MessageHop).FormatViewDefinition.Control | Should -BeOfType ([System.Management.Automation.TableControl])
        ($script:Result | Format-Table | Out-String -Width 250) | Should -Match 'AllEncrypted'
        ($script:Result.Hops | Format-Table | Out-String -Width 250) | Should -Match 'TlsVersion'
    }
}
