# The before/after guard of refactorings (issue 17): every cmdlet of the module runs on the lab domains and messages that
# cover every result type, each result is serialised to JSON, what legitimately varies from run to run is normalised, and
# the text is compared with the snapshot committed in tests/snapshots/results/. Used by ResultSnapshot.CoreOnly.Tests.ps1 (compare)
# and tools/Update-ResultSnapshot.ps1 (the only writer: `dotnet pwsh ./build.ps1 -Task Snapshot`).
#
# What is normalised, and why (everything else is compared as the cmdlet returned it):
# - durations and clocks (Elapsed, Duration, StartedAt, FetchedAt, CheckedAt, ValidatedAt, GeneratedAt, a query log's Time,
#   a session transcript's At): they measure this run, not the verdict;
# - certificates: the lab makes a new PKI at every start, so an X509Certificate2 is reduced to Subject and Issuer, and
#   NotBefore/NotAfter (also the flat CertificateNotAfter column)/DaysUntilExpiry/Thumbprint/SerialNumber/Sha256 of lab
#   certificates are replaced (a lab restarted by the test command made the first version of this list fail), and so is the
#   expiry day in a certificate summary ("expires 2029-03-10");
# - key material the lab makes at start-up (TLSA association data, SPKI and DKIM keys, DNSSEC key tags in messages): hex
#   runs of 32+ digits and base64 runs of 40+ characters are replaced, and "key tag N"/"tag N" numbers;
# - the lab's loopback net (127.0 by default, MAILSECURITY_LAB_NET for a side-by-side lab) is written as {{NET}}, as the
#   zone files write it; the repository path (message files are read from tests/corpus) is written as <repo>;
# - the order of an RRset (RFC 2181 §5: an RRset is unordered, and Unbound rotates it per answer): the lists that hold a
#   DNS answer's records or a host's addresses in answer order (Records, RecordMatches, StsRecords, Addresses,
#   ProbedAddresses, RecordList, a finding that lists the records it found as "(a | b)") are sorted; and TTLs (TtlSeconds, the TTL of a record's text), which count down in the resolver's cache;
# - durations (every *Milliseconds property): they measure this run;
# - nothing else about order is normalised: every cmdlet streams in input order, so an order change of results, hops,
#   findings or MX hosts is a behaviour change and fails the test.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:SnapshotDir = Join-Path $script:RepoRoot 'tests/snapshots/results'

# Properties whose value is a clock reading or a duration of this run.
$script:VolatileNames = @('Elapsed', 'Duration', 'StartedAt', 'FetchedAt', 'CheckedAt', 'ValidatedAt', 'GeneratedAt', 'Time', 'At',
    'NotBefore', 'NotAfter', 'DaysUntilExpiry', 'Thumbprint', 'SerialNumber', 'Sha256Fingerprint', 'SpkiSha256', 'Handle', 'TtlSeconds')
# Lists that hold an RRset in answer order (sorted), and a string that joins one with '; '.
$script:RRsetLists = @('Records', 'RecordMatches', 'StsRecords', 'Addresses', 'ProbedAddresses')
$script:RRsetStrings = @('RecordList')

function Get-ResultSnapshotDirectory { $script:SnapshotDir }

# The cases: a name (the snapshot file) and the command that makes the results. $Lab is the lab environment
# (lab.env.json); the commands run in the caller's session, which has imported the built module.
function Get-ResultSnapshotCase {
    param([Parameter(Mandatory)] $Lab)
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1')
    $domains = @(Get-LabMailDomains)
    $corpus = Join-Path $script:RepoRoot 'tests/corpus/headers'
    $spfCases = (Import-PowerShellDataFile (Join-Path $PSScriptRoot 'SpfRecord.cases.psd1')).Cases
    # A generous timeout: a session that times out under load would be a difference of scheduling, not of behaviour.
    $t = 20
    $v = $Lab.Resolver
    $nv = $Lab.NonValidatingResolver
    @(
        @{ Name = 'Resolve-HopSecurity.domain'; Run = { Resolve-HopSecurity -Domain $domains -DnsServer $v -TimeoutSec $t -ThrottleLimit 16 -ErrorAction SilentlyContinue }.GetNewClosure() }
        @{ Name = 'Resolve-HopSecurity.domain.nonvalidating'; Run = { Resolve-HopSecurity -Domain $domains -DnsServer $nv -TimeoutSec $t -ThrottleLimit 16 -ErrorAction SilentlyContinue }.GetNewClosure() }
        @{ Name = 'Resolve-HopSecurity.message'; Run = { Get-ChildItem $corpus -Filter *.eml | Sort-Object Name | Resolve-HopSecurity -SkipSignatureVerification -ErrorAction SilentlyContinue }.GetNewClosure() }
        @{ Name = 'Get-MailAuthRecords'; Run = { Get-MailAuthRecords -Domain $domains -DnsServer $v -TimeoutSec $t -DkimSelector selector1 -ThrottleLimit 16 -ErrorAction SilentlyContinue }.GetNewClosure() }
        @{ Name = 'Test-SpfRecord'; Run = { foreach ($c in $spfCases) {
                    $p = @{ Domain = $c.Domain; IPAddress = $c.IPAddress; DnsServer = $v; TimeoutSec = $t; ErrorAction = 'SilentlyContinue' }
                    if ($c.Sender) { $p.Sender = $c.Sender }
                    if ($c.Helo) { $p.Helo = $c.Helo }
                    Test-SpfRecord @p
                } }.GetNewClosure() }
        @{ Name = 'Test-DaneTlsa'; Run = { Test-DaneTlsa -Domain $domains -DnsServer $v -TimeoutSec $t -ThrottleLimit 16 -ErrorAction SilentlyContinue }.GetNewClosure() }
        @{ Name = 'Test-DaneTlsa.nonvalidating'; Run = { Test-DaneTlsa -Domain $domains -DnsServer $nv -TimeoutSec $t -ThrottleLimit 16 -ErrorAction SilentlyContinue }.GetNewClosure() }
        @{ Name = 'Get-MtaStsPolicy'; Run = { Get-MtaStsPolicy -Domain $domains -DnsServer $v -TimeoutSec $t -ThrottleLimit 16 -ErrorAction SilentlyContinue }.GetNewClosure() }
        @{ Name = 'Test-SmtpStartTls'; Run = { Test-SmtpStartTls -Domain $domains -DnsServer $v -TimeoutSec $t -ThrottleLimit 16 -ErrorAction SilentlyContinue }.GetNewClosure() }
    )
}

# Replaces what varies from run to run (see the top of this file) in a value parsed from ConvertTo-Json.
function Get-NormalizedValue {
    param($Value, [string] $Net)
    if ($null -eq $Value) { return $null }
    if ($Value -is [System.Collections.IDictionary]) {
        # An X509Certificate2 as ConvertTo-Json writes it: the lab's PKI is new at every start.
        if ($Value.Contains('RawData') -and $Value.Contains('Thumbprint')) {
            return [pscustomobject][ordered]@{ Subject = $Value['Subject']; Issuer = $Value['Issuer'] }
        }
        $out = [ordered]@{}
        foreach ($key in @($Value.Keys)) {
            $v = $Value[$key]
            $out[$key] = if ($null -ne $v -and ($key -in $script:VolatileNames -or $key -like '*Milliseconds' -or $key -like '*NotAfter' -or $key -like '*NotBefore')) { "<$key>" }
            elseif ($key -in $script:RRsetLists -and $v -is [System.Collections.IList]) {
                $items = Get-NormalizedValue $v $Net
                , @($items | Sort-Object { ConvertTo-Json -InputObject $_ -Depth 100 -Compress })
            } elseif ($key -in $script:RRsetStrings -and $v -is [string]) {
                ((Get-NormalizedValue $v $Net) -split '; ' | Sort-Object) -join '; '
            } else { Get-NormalizedValue $v $Net }
        }
        return [pscustomobject]$out
    }
    if ($Value -is [string]) {
        $s = $Value.Replace($script:RepoRoot, '<repo>')
        # One rule for every net: a whole address 127.N.X.Y with X not 0. The default lab net 127.0 is also the prefix of
        # the host's own loopback 127.0.0.x (our EHLO literal, message corpus addresses), which is not a lab address; no
        # lab server uses 127.N.0.x on any net, so that third octet is left alone everywhere.
        $s = $s -replace ('\b' + [regex]::Escape($Net) + '\.(?!0\.)(?=\d+\.\d+)'), '{{NET}}.'
        $s = $s -replace '\b[0-9A-Fa-f]{32,}\b', '<hex>'
        $s = $s -replace '[A-Za-z0-9+/]{40,}={0,2}', '<base64>'
        $s = $s -replace '(?i)\b(key ?tag|tag) \d+', '$1 <n>'
        $s = $s -replace '(\S\.) \d+ IN ', '$1 <ttl> IN '
        # A certificate date inside a message ("expired on 2022-04-05 00:00:03 UTC"): the lab makes its PKI at start-up.
        $s = $s -replace '\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\b', '<date> UTC'
        # A certificate's expiry day in a summary ("...; expires 2029-03-10; names ..."): the lab's certificates are valid for
        # a fixed time from the lab's start, so the day moves with the day the lab started (a lab started the day after the
        # snapshot made this test fail).
        $s = $s -replace '\bexpires \d{4}-\d\d-\d\d\b', 'expires <date>'
        # A message that lists an RRset's records as "(a | b)": in sorted order.
        $s = [regex]::Replace($s, '\(([^()|]+(?: \| [^()|]+)+)\)', { param($m) '(' + (($m.Groups[1].Value -split ' \| ' | Sort-Object) -join ' | ') + ')' })
        return $s
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        return , @(foreach ($item in $Value) { , (Get-NormalizedValue $item $Net) })
    }
    return $Value
}

# One result as normalised JSON text (one property per line, so a difference names its line).
function ConvertTo-SnapshotJson {
    param([Parameter(Mandatory)] [AllowNull()] $InputObject, [string] $Net = $(if ($env:MAILSECURITY_LAB_NET) { $env:MAILSECURITY_LAB_NET } else { '127.0' }))
    # Depth 6: one level below the -Depth 5 users are promised, so nested evidence (an MX's probe's certificate) is seen.
    $json = ConvertTo-Json -InputObject $InputObject -Depth 6 -WarningAction SilentlyContinue
    $parsed = ConvertFrom-Json -InputObject $json -AsHashtable -Depth 100
    ConvertTo-Json -InputObject (Get-NormalizedValue $parsed $Net) -Depth 100
}

# Runs one case and returns its normalised snapshot text: every result in output order, each with its type name.
function Get-ResultSnapshotText {
    param([Parameter(Mandatory)] [hashtable] $Case)
    $results = @(& $Case.Run)
    $items = foreach ($r in $results) {
        $type = if ($r -is [psobject] -and $r.PSObject.TypeNames.Count) { $r.PSObject.TypeNames[0] } else { $r.GetType().FullName }
        [ordered]@{ Type = $type; Result = $r }
    }
    $lines = foreach ($item in $items) { ConvertTo-SnapshotJson ([ordered]@{ Type = $item.Type; Result = $item.Result }) }
    "# $($Case.Name): $($results.Count) results`n" + ($lines -join "`n") + "`n"
}

# The first line where two snapshot texts differ, with a few lines of context, or $null when they are the same.
function Compare-ResultSnapshotText {
    param([string] $Expected, [string] $Actual)
    if ($Expected -ceq $Actual) { return $null }
    $e = $Expected -split "`n"
    $a = $Actual -split "`n"
    $n = [Math]::Min($e.Count, $a.Count)
    $i = 0
    while ($i -lt $n -and $e[$i] -ceq $a[$i]) { $i++ }
    $from = [Math]::Max(0, $i - 6)
    $context = ($a[$from..([Math]::Max($from, $i - 1))] -join "`n")
    "first difference at line $($i + 1):`n  expected: $(if ($i -lt $e.Count) { $e[$i] } else { '<end>' })`n  actual:   $(if ($i -lt $a.Count) { $a[$i] } else { '<end>' })`ncontext before it:`n$context"
}

Export-ModuleMember -Function Get-ResultSnapshotDirectory, Get-ResultSnapshotCase, Get-ResultSnapshotText, Compare-ResultSnapshotText, ConvertTo-SnapshotJson
