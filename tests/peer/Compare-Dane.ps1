<#
.SYNOPSIS
    Runs posttls-finger (Postfix) and Test-DaneTlsa side by side on the lab's DANE scenarios and compares the verdicts.
.DESCRIPTION
    posttls-finger is Postfix's own TLS probe; at "-l dane" it does what the Postfix SMTP client does for DANE
    (RFC 7672): DNSSEC-validated MX, address and TLSA lookups, SNI = TLSA base domain, DANE-EE/DANE-TA matching with
    OpenSSL's DANE verifier. It is run as
        posttls-finger -v -t 30 -T 30 -l dane -o dnssec_probe= -L summary,certmatch -F <lab root> <destination>
    -F (a CA file) stands in for -P (a CA directory, which would need c_rehash): it only matters where posttls-finger
    falls back to the "secure" level. "[host]" destinations skip the MX lookup (the host is the only reference
    identifier, like Test-DaneTlsa -HostName); bare domains go through their MX RRset (like -Domain).

    DNS: posttls-finger uses the system resolver (resolv.conf); Postfix has no parameter naming a DNS server. So each
    run happens in a private mount namespace (unshare --mount, propagation private) in which a temporary resolv.conf
    naming the lab's validating Unbound ("options trust-ad", so the AD bit reaches Postfix) is bind-mounted over
    /etc/resolv.conf. The host's /etc/resolv.conf is never changed; this needs root, as the lab does. dnssec_probe is
    emptied because its default probe (the root zone's NS) is refused by the lab's Unbound.

    posttls-finger's verbose log is read as follows (the Postfix wording, then our verdict for the same state):
      "TLSA lookup error" / "DANE TLSA lookup problem" / "address lookup failed"  -> LookupFailed (or MxLookupFailed)
      "no TLSA records found, resorting to \"secure\""                             -> NoTlsa or Insecure (DANE does not apply)
      "no usable TLSA records found, resorting to \"secure\""                      -> AllRecordsUnusable
      TLSA used, "Matched DANE ... certificate at depth N: u s m data" and a
        "Verified" (or, via an insecure MX, "Trusted") TLS connection              -> Valid, same record and depth
      TLSA used, "verification failed" and an "Untrusted" TLS connection            -> NoMatch
      TLSA used, connected but no TLS connection (no STARTTLS)                      -> TlsFailed
    posttls-finger connects to one address per run (the first that answers, in random order); it is compared with our
    result for that address. Every row prints agreement or the reason for a disagreement; the script exits 1 when any
    row disagrees.
.EXAMPLE
    MAILSECURITY_LAB_NET=127.5 dotnet pwsh tests/peer/Compare-Dane.ps1 -ModulePath out/MailSecurity/MailSecurity.psd1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/MailSecurity/MailSecurity.psd1'),
    # tests/lab/zones/dane*.test.zone: "[host]" for a host on its own, a bare name for a domain through its MX.
    [string[]] $Destination = @(
        '[ee.dane.test]', '[ta.dane.test]', '[ta-spki.dane.test]', '[mismatch.dane.test]', '[expired-ee.dane.test]',
        '[ta-wrong-name.dane.test]', '[no-starttls.dane.test]', '[rollover.dane.test]', '[pkix.dane.test]',
        '[ta-missing.dane.test]', '[two-addresses.dane.test]', '[split.dane.test]', '[alias.dane.test]',
        '[shared-tlsa.dane.test]', '[bogus-tlsa.dane.test]', '[mx.dane-bogus.test]', '[mx.dane-insecure.test]',
        '[mx.nexthop.dane.test]', 'dane.test', 'nexthop.dane.test', 'to-secure.dane-insecure.test', 'dane-insecure.test',
        'to-insecure.dane.test', 'dane-bogus.test')
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../Pester/LabSupport.psm1') -Force
Import-Module (Join-Path $PSScriptRoot 'PosttlsFinger.psm1') -Force
$lab = Get-LabEnvironment
if (-not $lab) { throw 'The lab is not running (tests/lab/lab.sh start).' }
if (-not (Get-Command posttls-finger -ErrorAction SilentlyContinue)) { throw 'posttls-finger is missing (Debian package postfix).' }
if (-not (Get-Command unshare -ErrorAction SilentlyContinue)) { throw 'unshare is missing (Debian package util-linux).' }
if ((& id -u) -ne '0') { throw 'posttls-finger is pointed at the lab resolver through a private mount namespace, which needs root (as the lab does).' }
Import-Module (Resolve-Path $ModulePath).Path -Force

$resolvConf = Join-Path ([IO.Path]::GetTempPath()) "mailsecurity-dane-resolv-$PID.conf"
Set-Content -Path $resolvConf -Value "nameserver $($lab.Resolver)`noptions trust-ad" -Encoding ascii

function Invoke-Finger([string] $dest) {
    $fingerArgs = @('-v', '-t', '30', '-T', '30', '-l', 'dane', '-o', 'dnssec_probe=', '-L', 'summary,certmatch', '-F', $lab.TrustBundle, $dest)
    # The bind mount exists only inside this child's mount namespace; /etc/resolv.conf outside is untouched.
    # posttls-finger reads main.cf: where the Postfix package was installed without configuration, the lab's is used.
    if (-not (Test-Path /etc/postfix/main.cf)) { $env:MAIL_CONFIG = Join-Path $lab.LabDir 'smtp/conf' }
    $out = & unshare --mount --propagation private sh -c 'mount --bind "$0" /etc/resolv.conf && exec posttls-finger "$@"' $resolvConf @fingerArgs 2>&1 | ForEach-Object { "$_" }
    ConvertFrom-PosttlsFingerDane -Lines $out
}

function Get-OurCategory($result) {
    $category = Get-DaneCategory ([string] $result.Verdict)
    if ($category) { $category } else { [string] $result.Verdict }
}

function Compare-Run([string] $dest, [bool] $isHost, $ours, $errs, $theirs) {
    # Our result for the host and address posttls-finger used (it stops at the first address that answers).
    $mine = $ours | Where-Object { (-not $theirs.Host -or $isHost -or $_.HostName -eq $theirs.Host) -and (-not $theirs.Address -or $_.ProbedAddresses -contains $theirs.Address) } | Select-Object -First 1
    if (-not $mine -and $ours.Count) { $mine = $ours[0] }
    $problems = [Collections.Generic.List[string]]::new()
    if ($mine) {
        $ourCategory = Get-OurCategory $mine
        $ourText = '{0}{1}' -f $mine.Verdict, $(if ($mine.MatchedRecord -and $mine.Verdict -eq 'Valid') { " $($mine.MatchedRecord.Parameters) at depth $($mine.MatchDepth)" } elseif ($mine.ProbedAddressList) { " ($($mine.ProbedAddressList))" })
    } elseif ($errs) {
        $ourCategory = if ($errs[0].FullyQualifiedErrorId -like 'MxLookupFailed,*') { 'LookupFailed' } else { 'Error' }
        $ourText = "error $(($errs[0].FullyQualifiedErrorId -split ',')[0])"
    } else {
        $ourCategory = 'None'; $ourText = 'no result'
    }
    if ($ourCategory -ne $theirs.Category) { $problems.Add("verdict: ours $ourText ($ourCategory), posttls-finger $($theirs.Category) ($($theirs.Detail))") }
    if ($mine -and $theirs.Category -eq 'Authenticated' -and $ourCategory -eq 'Authenticated') {
        if ($mine.MatchedRecordText.ToUpperInvariant() -ne $theirs.Record) { $problems.Add("matched record: ours $($mine.MatchedRecordText), posttls-finger $($theirs.Record)") }
        if ($mine.MatchDepth -ne $theirs.Depth) { $problems.Add("depth: ours $($mine.MatchDepth), posttls-finger $($theirs.Depth)") }
        if ($theirs.PeerName -and $mine.MatchedName -ne $theirs.PeerName) { $problems.Add("matched name: ours $($mine.MatchedName), posttls-finger $($theirs.PeerName)") }
    }
    if ($mine -and $theirs.InsecureMx -ne ($mine.Findings.Code -contains 'Dane.TlsaWithInsecureMx')) {
        $problems.Add("insecure MX: posttls-finger says '$(if ($theirs.InsecureMx) { 'MX RRset insecure' } else { 'nothing' })', ours $(if ($mine.Findings.Code -contains 'Dane.TlsaWithInsecureMx') { 'has' } else { 'lacks' }) Dane.TlsaWithInsecureMx")
    }
    [pscustomobject]@{
        Destination = $dest
        Address = if ($theirs.Address) { $theirs.Address } else { '-' }
        Agree = $problems.Count -eq 0
        Ours = $ourText
        PosttlsFinger = '{0}: {1}{2}' -f $theirs.Category, $theirs.Detail, $(if ($theirs.InsecureMx) { ' (MX RRset insecure)' })
        Explanation = if ($problems.Count) { $problems -join '; ' } else { 'same verdict' }
    }
}

try {
    $rows = foreach ($dest in $Destination) {
        $isHost = $dest.StartsWith('[')
        $name = $dest.Trim('[', ']')
        $errs = $null
        $ours = if ($isHost) { @(Test-DaneTlsa -HostName $name -DnsServer $lab.Resolver -TimeoutSec 30) }
                else { @(Test-DaneTlsa -Domain $name -DnsServer $lab.Resolver -TimeoutSec 30 -ErrorVariable errs -ErrorAction SilentlyContinue) }
        # A host whose addresses gave different outcomes (one result each): posttls-finger picks an address at random,
        # so it is run again (at most 10 times) until it has met each of them, and every address it met is a row.
        $seen = @{}
        $wanted = if ($isHost -and $ours.Count -gt 1) { @($ours | ForEach-Object { $_.ProbedAddresses[0] }) } else { @() }
        for ($i = 0; $i -lt 10; $i++) {
            $theirs = Invoke-Finger $dest
            $key = if ($theirs.Address) { $theirs.Address } else { '-' }
            if (-not $seen.ContainsKey($key)) {
                $seen[$key] = $true
                Compare-Run $dest $isHost $ours $errs $theirs
            }
            if (@($wanted | Where-Object { -not $seen.ContainsKey($_) }).Count -eq 0) { break }
        }
    }
} finally {
    Remove-Item $resolvConf -ErrorAction SilentlyContinue
}

$rows | Format-Table Destination, Address, Agree, Ours, PosttlsFinger -AutoSize | Out-String -Width 250 | Write-Output
foreach ($row in $rows | Where-Object { -not $_.Agree }) { Write-Output ("DISAGREE {0}: {1}" -f $row.Destination, $row.Explanation) }
Write-Output 'posttls-finger does not tell NoTlsa from Insecure (both fall back to its "secure" level) and reports one address per run.'
$agreeing = @($rows | Where-Object Agree).Count
Write-Output ("{0} of {1} comparisons agree with posttls-finger ({2} destinations; a host whose addresses differ is compared per address)." -f $agreeing, @($rows).Count, $Destination.Count)
if ($agreeing -ne @($rows).Count) { exit 1 }
