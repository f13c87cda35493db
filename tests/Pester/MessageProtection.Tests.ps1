# Message-level protection through Resolve-HopSecurity, on messages made here by real tools: S/MIME signed (detached and
# opaque) and encrypted by openssl with a certificate issued by the lab's intermediate CA (tests/lab/lib/10-pki.sh), and
# PGP/MIME signed and encrypted by gpg. Expectations are what the tools were told to do (signer, digest, cipher) and what
# they report themselves (serial numbers, key ids), never what the cmdlet returned.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment

    function Invoke-Tool {
        param([string] $File, [string[]] $Arguments)
        $out = & $File @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed ($LASTEXITCODE): $out" }
        $out
    }

    # A message file from a MIME entity: the headers a mail client writes, then the entity.
    function New-MessageFile {
        param([string] $Path, [string] $Entity, [string] $Subject)
        $head = "Received: from client.example.org (client.example.org [192.0.2.10]) by mx.example.net with ESMTPS id 1; Tue, 14 May 2024 10:00:01 +0000`r`n" +
            "From: Alice <alice@example.org>`r`nTo: bob@example.net`r`nSubject: $Subject`r`nDate: Tue, 14 May 2024 10:00:00 +0000`r`nMIME-Version: 1.0`r`n"
        [IO.File]::WriteAllText($Path, $head + $Entity, [Text.Encoding]::ASCII)
    }
}

Describe 'Resolve-HopSecurity: S/MIME from the lab CA' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $pki = Join-Path $Lab.LabDir 'pki'
        $dir = Join-Path $TestDrive 'smime'
        New-Item -ItemType Directory -Path $dir | Out-Null
        $script:Key = Join-Path $dir 'alice.key'
        $script:Cert = Join-Path $dir 'alice.crt'
        $ext = Join-Path $dir 'alice.ext'
        Set-Content -Path $ext -Value @(
            '[v3]'
            'basicConstraints=critical,CA:FALSE'
            'keyUsage=critical,digitalSignature,keyEncipherment'
            'extendedKeyUsage=emailProtection'
            'subjectAltName=email:alice@example.org'
        )
        Invoke-Tool openssl @('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', $Key) | Out-Null
        Invoke-Tool openssl @('req', '-new', '-key', $Key, '-subj', '/O=MailSecurity Lab/CN=Alice Lab', '-out', (Join-Path $dir 'alice.csr')) | Out-Null
        # The lab's intermediate signs; the serial file is ours, so the lab's own is left alone.
        Invoke-Tool openssl @('x509', '-req', '-in', (Join-Path $dir 'alice.csr'), '-CA', (Join-Path $pki 'lab-intermediate.crt'), '-CAkey', (Join-Path $pki 'lab-intermediate.key'),
            '-CAcreateserial', '-CAserial', (Join-Path $dir 'serial'), '-days', '30', '-sha256', '-extfile', $ext, '-extensions', 'v3', '-out', $Cert) | Out-Null
        $script:Serial = ((Invoke-Tool openssl @('x509', '-in', $Cert, '-noout', '-serial')) -replace '^serial=', '').Trim()
        $script:Intermediate = Join-Path $pki 'lab-intermediate.crt'

        $entity = Join-Path $dir 'entity.txt'
        [IO.File]::WriteAllText($entity, "Meet at noon.`r`n", [Text.Encoding]::ASCII)
        # openssl writes the S/MIME entity with its own MIME headers; the message headers go above it.
        # OpenSSL 3 stops reading options at the first operand, so a recipient certificate comes last.
        function New-Smime([string] $Name, [string[]] $Arguments, [string[]] $Recipients = @()) {
            $smime = Join-Path $dir "$Name.p7"
            Invoke-Tool openssl (@('cms') + $Arguments + @('-in', $entity, '-text', '-out', $smime) + $Recipients) | Out-Null
            $file = Join-Path $dir "$Name.eml"
            New-MessageFile -Path $file -Entity ([IO.File]::ReadAllText($smime) -replace "(?<!`r)`n", "`r`n" -replace '^MIME-Version: 1\.0\r\n', '') -Subject $Name
            $file
        }
        $script:Detached = New-Smime 'detached' @('-sign', '-signer', $Cert, '-inkey', $Key, '-certfile', $Intermediate, '-md', 'sha256')
        $script:Opaque = New-Smime 'opaque' @('-sign', '-nodetach', '-signer', $Cert, '-inkey', $Key, '-certfile', $Intermediate, '-md', 'sha256')
        $script:Encrypted = New-Smime 'encrypted' @('-encrypt', '-aes256') @($Cert)
        $script:Tampered = Join-Path $dir 'tampered.eml'
        [IO.File]::WriteAllText($Tampered, ([IO.File]::ReadAllText($Detached) -replace 'Meet at noon\.', 'Meet at one.'), [Text.Encoding]::ASCII)

        # A self-signed certificate for the same address: the signature verifies, the certificate is not trusted.
        $selfKey = Join-Path $dir 'self.key'
        $selfCert = Join-Path $dir 'self.crt'
        Invoke-Tool openssl @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', $selfKey, '-subj', '/CN=Alice Self', '-days', '30',
            '-addext', 'subjectAltName=email:alice@example.org', '-addext', 'extendedKeyUsage=emailProtection', '-out', $selfCert) | Out-Null
        $script:SelfSigned = New-Smime 'selfsigned' @('-sign', '-signer', $selfCert, '-inkey', $selfKey, '-md', 'sha256')
    }

    It 'verifies a detached signature made by openssl with a lab certificate: Pass, signer, SHA-256, RSA 2048' {
        $r = Resolve-HopSecurity -Path $Detached -DnsServer $Lab.Resolver
        $p = $r.Protection
        $p.SignatureFormat | Should -Be 'SMime'
        $p.Structure | Should -Be 'multipart/signed; protocol=application/pkcs7-signature'
        $s = $p.Signatures[0]
        $s.Result | Should -Be 'Pass'
        $s.Signer | Should -Match 'CN=Alice Lab'
        $s.Issuer | Should -Match 'MailSecurity Lab Intermediate CA'
        $s.SerialNumber | Should -Be $Serial
        $s.SignerAddresses | Should -Be 'alice@example.org'
        $s.SignerMatchesSender | Should -BeTrue
        $s.DigestAlgorithm | Should -Be 'SHA-256'
        $s.KeyAlgorithm | Should -Be 'RSA'
        $s.KeySize | Should -Be 2048
        $r.ContentSignatureResult | Should -Be 'Pass'
        $r.Findings.Code | Should -Contain 'Smime.SignatureValid'
    }

    It 'verifies an opaque signed-data message' {
        $r = Resolve-HopSecurity -Path $Opaque -DnsServer $Lab.Resolver
        $r.Protection.Structure | Should -Be 'application/pkcs7-mime; smime-type=signed-data'
        $r.Protection.Signatures[0].Result | Should -Be 'Pass'
    }

    It 'fails a signed message whose content was changed' {
        $r = Resolve-HopSecurity -Path $Tampered -DnsServer $Lab.Resolver
        $r.Protection.Signatures[0].Result | Should -Be 'Fail'
        $r.Findings.Code | Should -Contain 'Smime.SignatureInvalid'
    }

    It 'says CertificateInvalid for a self-signed signer' {
        $r = Resolve-HopSecurity -Path $SelfSigned -DnsServer $Lab.Resolver
        $s = $r.Protection.Signatures[0]
        $s.Result | Should -Be 'CertificateInvalid'
        $s.SignatureValid | Should -BeTrue
        $s.CertificateProblems.ToString() | Should -Match 'SelfSigned|Untrusted'
        $r.Findings.Code | Should -Contain 'Smime.CertificateInvalid'
    }

    It 'reads the cipher and the recipient of an encrypted message' {
        $r = Resolve-HopSecurity -Path $Encrypted -DnsServer $Lab.Resolver
        $p = $r.Protection
        $p.Encrypted | Should -BeTrue
        $p.EncryptionFormat | Should -Be 'SMime'
        $p.Structure | Should -Be 'application/pkcs7-mime; smime-type=enveloped-data'
        $p.EncryptionAlgorithm | Should -Be 'AES-256-CBC'
        $p.Recipients.Count | Should -Be 1
        # The issuer as openssl printed it when it signed the certificate, CN first (the .NET and Windows order).
        $p.Recipients[0] | Should -Be "CN=MailSecurity Lab Intermediate CA, O=MailSecurity Lab, serial $($Serial.TrimStart('0'))"
        $r.ContentEncrypted | Should -BeTrue
        $r.Findings.Code | Should -Contain 'Smime.Encrypted'
    }

    It 'gives one CSV row per message with the content columns' {
        $csv = Join-Path $TestDrive 'protection.csv'
        Resolve-HopSecurity -Path $Detached, $Encrypted -DnsServer $Lab.Resolver | Export-Csv -Path $csv -NoTypeInformation
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be 2
        $rows[0].ContentProtection | Should -Be 'S/MIME signed (Pass)'
        $rows[0].ContentSignatureResult | Should -Be 'Pass'
        $rows[1].ContentEncrypted | Should -Be 'True'
    }

    It 'survives ConvertTo-Json -Depth 5 with a signature' {
        $r = Resolve-HopSecurity -Path $Detached -DnsServer $Lab.Resolver
        $json = $r | ConvertTo-Json -Depth 5 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        $back = ($json | ConvertFrom-Json).Protection.Signatures[0]
        $back.Result | Should -Be ([int][MailSecurity.ContentSignatureResult]::Pass)
        $back.Signer | Should -Match 'CN=Alice Lab'
    }
}

Describe 'Resolve-HopSecurity: PGP/MIME made by gpg' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $dir = Join-Path $TestDrive 'pgp'
        $script:GnuPgHome = Join-Path $dir 'gnupg'
        New-Item -ItemType Directory -Path $GnuPgHome -Force | Out-Null
        if ($IsLinux -or $IsMacOS) { & chmod 700 $GnuPgHome }
        $env:GNUPGHOME = $GnuPgHome
        $gpg = @('--batch', '--pinentry-mode', 'loopback', '--passphrase', '')
        Invoke-Tool gpg ($gpg + @('--quick-gen-key', 'Alice <alice@example.org>', 'rsa2048', 'sign,cert', 'never')) | Out-Null
        $fingerprint = ((Invoke-Tool gpg @('--with-colons', '--list-keys', 'alice@example.org')) | Where-Object { $_ -like 'fpr:*' } | Select-Object -First 1).Split(':')[9]
        Invoke-Tool gpg ($gpg + @('--quick-add-key', $fingerprint, 'rsa2048', 'encr', 'never')) | Out-Null
        $colons = Invoke-Tool gpg @('--with-colons', '--list-keys', 'alice@example.org')
        $script:SigningKeyId = ($colons | Where-Object { $_ -like 'pub:*' } | Select-Object -First 1).Split(':')[4]
        $script:EncryptionKeyId = ($colons | Where-Object { $_ -like 'sub:*' } | Select-Object -First 1).Split(':')[4]

        # RFC 3156 §5: the signature covers the first part as sent, CRLF line ends.
        $part = "Content-Type: text/plain; charset=us-ascii`r`n`r`nMeet at noon.`r`n"
        $partFile = Join-Path $dir 'part.txt'
        [IO.File]::WriteAllText($partFile, $part, [Text.Encoding]::ASCII)
        $sigFile = Join-Path $dir 'part.asc'
        Invoke-Tool gpg ($gpg + @('--armor', '--detach-sign', '--digest-algo', 'SHA512', '-u', $SigningKeyId, '-o', $sigFile, $partFile)) | Out-Null
        $signature = [IO.File]::ReadAllText($sigFile) -replace "(?<!`r)`n", "`r`n"
        $script:Signed = Join-Path $dir 'signed.eml'
        New-MessageFile -Path $Signed -Subject 'pgp signed' -Entity ("Content-Type: multipart/signed; micalg=pgp-sha512; protocol=`"application/pgp-signature`"; boundary=`"sig`"`r`n`r`n" +
            "--sig`r`n$part--sig`r`nContent-Type: application/pgp-signature; name=signature.asc`r`n`r`n$signature`r`n--sig--`r`n")

        # RFC 3156 §4: a version part, then the encrypted data.
        $encFile = Join-Path $dir 'part.gpg.asc'
        Invoke-Tool gpg ($gpg + @('--armor', '--trust-model', 'always', '-r', 'alice@example.org', '-o', $encFile, '--encrypt', $partFile)) | Out-Null
        $cipher = [IO.File]::ReadAllText($encFile) -replace "(?<!`r)`n", "`r`n"
        $script:EncryptedPgp = Join-Path $dir 'encrypted.eml'
        New-MessageFile -Path $EncryptedPgp -Subject 'pgp encrypted' -Entity ("Content-Type: multipart/encrypted; protocol=`"application/pgp-encrypted`"; boundary=`"enc`"`r`n`r`n" +
            "--enc`r`nContent-Type: application/pgp-encrypted`r`n`r`nVersion: 1`r`n--enc`r`nContent-Type: application/octet-stream; name=encrypted.asc`r`n`r`n$cipher`r`n--enc--`r`n")
    }

    AfterAll {
        # The gpg-agent this test started goes with its home directory.
        if ($GnuPgHome) { & gpgconf --homedir $GnuPgHome --kill gpg-agent 2>$null }
        Remove-Item Env:GNUPGHOME -ErrorAction SilentlyContinue
    }

    It 'recognises a PGP/MIME signature and names the signing key gpg reports' {
        $r = Resolve-HopSecurity -Path $Signed -DnsServer $Lab.Resolver
        $p = $r.Protection
        $p.SignatureFormat | Should -Be 'OpenPgp'
        $p.Structure | Should -Be 'multipart/signed; protocol=application/pgp-signature'
        $s = $p.Signatures[0]
        $s.Result | Should -Be 'NotVerified'
        $s.KeyId | Should -Be $SigningKeyId
        $s.DigestAlgorithm | Should -Be 'SHA-512'
        $s.KeyAlgorithm | Should -Be 'RSA'
        $r.Findings.Code | Should -Contain 'OpenPgp.Signed'
    }

    It 'recognises a PGP/MIME encrypted message and names the encryption subkey' {
        $r = Resolve-HopSecurity -Path $EncryptedPgp -DnsServer $Lab.Resolver
        $p = $r.Protection
        $p.Encrypted | Should -BeTrue
        $p.EncryptionFormat | Should -Be 'OpenPgp'
        $p.Recipients | Should -Be $EncryptionKeyId
        $r.Findings.Code | Should -Contain 'OpenPgp.Encrypted'
    }
}
