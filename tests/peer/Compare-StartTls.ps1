<#
.SYNOPSIS
    Runs posttls-finger (Postfix) and Test-SmtpStartTls side by side on the lab's SMTP hosts and compares the TLS
    version, the cipher suite and the chain and name verdicts.
.DESCRIPTION
    posttls-finger is Postfix's own STARTTLS probe. It is given the lab root as its CA file (-F), the host name as
    SNI (-s) and as the name to match at the "secure" level, and the address as "[address]:port" so that both tools
    talk to the same listener. Its verdict lines map to ours as follows:
      "Verified TLS connection"                          -> chain valid, name matches   (Outcome Success)
      "verification failed ... hostname mismatch"        -> chain valid, name does not match
      "verification failed ..." (any other reason)       -> chain invalid
      no "TLS connection established" line               -> no TLS
    OpenSSL names TLS 1.2 suites differently (ECDHE-ECDSA-AES256-GCM-SHA384); they are mapped to the IANA names we
    report with "openssl ciphers -stdname". Every row prints agreement or the reason for a disagreement; the script
    exits 1 when any row disagrees.
.EXAMPLE
    MAILSECURITY_LAB_NET=127.2 SSL_CERT_FILE=/tmp/mailsecurity-lab-127.2/pki/trust.pem dotnet pwsh tests/peer/Compare-StartTls.ps1 -ModulePath out/MailSecurity/MailSecurity.psd1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/MailSecurity/MailSecurity.psd1'),
    # Hosts of the lab's SMTP tier (zones/smtp.test.zone); submission.mx is implicit TLS on 465.
    [string[]] $HostName = @('valid.mx.smtp.test', 'expired.mx.smtp.test', 'wrong-name.mx.smtp.test', 'self-signed.mx.smtp.test',
        'no-intermediate.mx.smtp.test', 'no-starttls.mx.smtp.test', 'tls12.mx.smtp.test', 'auth-before-tls.mx.smtp.test',
        'a.wild.smtp.test', 'x.y.wild.smtp.test', 'cn-only.mx.smtp.test', 'legacy-tls.mx.smtp.test', 'requiretls.peer.smtp.test', 'submission.mx.smtp.test')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../Pester/LabSupport.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'PosttlsFinger.psm1') -Force
$lab = Get-LabEnvironment
if (-not $lab) { throw 'The lab is not running (tests/lab/lab.sh start).' }
if (-not (Get-Command posttls-finger -ErrorAction SilentlyContinue)) { throw 'posttls-finger is missing (Debian package postfix).' }
Import-Module $ModulePath -Force
$env:SSL_CERT_FILE = $lab.TrustBundle

# OpenSSL name -> IANA name, for TLS 1.2 and older suites.
$iana = @{}
foreach ($line in (& openssl ciphers -stdname -s 'ALL:@SECLEVEL=0' 2>$null)) {
    if ($line -match '^(\S+)\s+-\s+(\S+)\s') { $iana[$Matches[2]] = $Matches[1] }
}

function Invoke-Finger([string] $name, [string] $address, [int] $port, [bool] $wrapper) {
    $fingerArgs = @('-c', '-l', 'secure', '-F', $lab.TrustBundle, '-L', 'summary,certmatch', '-t', '10', '-T', '10', '-s', $name)
    if ($wrapper) { $fingerArgs += '-w' }
    $fingerArgs += @("[$address]:$port", $name)
    # posttls-finger reads main.cf: where the Postfix package was installed without configuration, the lab's is used.
    if (-not (Test-Path /etc/postfix/main.cf)) { $env:MAIL_CONFIG = Join-Path $lab.LabDir 'smtp/conf' }
    $out = & posttls-finger @fingerArgs 2>&1 | ForEach-Object { "$_" }
    ConvertFrom-PosttlsFingerSecure -Lines $out -Iana $iana
}

$rows = foreach ($name in $HostName) {
    $implicit = $name -like 'submission.*'
    $ours = Test-SmtpStartTls -HostName $name -DnsServer $lab.Resolver -TimeoutSec 10 -ImplicitTls:$implicit
    $theirs = Invoke-Finger $name $ours.Address $ours.Port $implicit
    $ourProtocol = if ($ours.TlsProtocol) { [MailSecurity.TlsVersions]::ToDisplayName($ours.TlsProtocol) } else { $null }
    $problems = [Collections.Generic.List[string]]::new()
    if ($ours.TlsEstablished -ne $theirs.Tls) { $problems.Add("TLS: ours $($ours.TlsEstablished), posttls-finger $($theirs.Tls) ($($theirs.Detail))") }
    if ($theirs.Tls) {
        if ($ourProtocol -ne $theirs.Protocol) { $problems.Add("version: ours $ourProtocol, posttls-finger $($theirs.Protocol)") }
        if ($ours.CipherSuite -ne $theirs.Cipher) { $problems.Add("cipher: ours $($ours.CipherSuite), posttls-finger $($theirs.Cipher)") }
        if ($ours.PkixValid -ne $theirs.Chain) { $problems.Add("chain: ours PkixValid=$($ours.PkixValid) ($($ours.CertificateProblems)), posttls-finger $($theirs.Detail)") }
        # posttls-finger stops at the first failure, so it gives a name verdict only when the chain is valid.
        if ($null -ne $theirs.Name -and $ours.HostNameMatches -ne $theirs.Name) { $problems.Add("name: ours $($ours.HostNameMatches), posttls-finger $($theirs.Detail)") }
    }
    [pscustomobject]@{
        HostName = $name
        Ours = if ($ours.TlsEstablished) { '{0} {1} chain={2} name={3}' -f $ourProtocol, $ours.CipherSuite, $ours.PkixValid, $ours.HostNameMatches } else { [string] $ours.Outcome }
        PosttlsFinger = if ($theirs.Tls) { '{0} {1} {2}' -f $theirs.Protocol, $theirs.Cipher, $theirs.Detail } else { $theirs.Detail }
        Agree = $problems.Count -eq 0
        Explanation = if ($problems.Count) { $problems -join '; ' } else { 'same version, cipher and verdicts' }
    }
}

$rows | Format-Table HostName, Agree, Ours, PosttlsFinger -AutoSize | Out-String -Width 250 | Write-Output
foreach ($row in $rows | Where-Object { -not $_.Agree }) { Write-Output ("DISAGREE {0}: {1}" -f $row.HostName, $row.Explanation) }
Write-Output 'posttls-finger also names the key-exchange group (e.g. X25519) for TLS 1.3, which .NET does not expose; KeyExchange says (EC)DHE there.' 
$agreeing = @($rows | Where-Object Agree).Count
Write-Output ("{0} of {1} hosts agree with posttls-finger." -f $agreeing, @($rows).Count)
if ($agreeing -ne @($rows).Count) { exit 1 }
