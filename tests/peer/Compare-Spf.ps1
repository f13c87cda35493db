#requires -Version 7.2
<#
.SYNOPSIS
    Runs the RFC 7208 test suite through our Test-SpfRecord and through pyspf (Debian python3-spf) side by side,
    both asking the same in-memory DNS servers, and prints agreements and disagreements.
.DESCRIPTION
    One MailSecurity.TestPeers process serves every suite scenario as a dns-zone peer (SPF-type records also served
    as TXT, as the suite's header asks) on <Address>:<BasePort + scenario>. Our side is the built module
    (out/MailSecurity); pyspf's side is tests/peer/pyspf_check.py (py3dns pointed at the same server and port).

    Known disagreements, and whose reading is right (pyspf 2.0.14 as packaged in Debian 12):
    Last run: 203 cases, 202 same result, 1 different; acceptable per the suite: ours 203/203, pyspf 202/203.

    - 06/a-dash-in-toplabel (record 'v=spf1 a:foo.example.xn--zckzah -all', the name has an A record 1.2.3.4):
      ours pass, pyspf fail. pyspf bug: py3dns 3.2.1 decodes owner names of answers to Unicode
      ('foo.example.テスト'), and pyspf keeps only answer records whose owner equals the name it asked
      ('foo.example.xn--zckzah'), so it sees no address and '-all' decides. The suite expects pass. (Our DNS layer
      had the same flaw through DnsClient's DnsString.Value; it now compares the wire form.)

    Cases the suite leaves open (several acceptable results) where both sides made the same choice: multispf1
    (permerror), invalid-domain-empty-label / invalid-domain-long / invalid-domain-long-via-macro (fail: the target
    name is unusable, so the mechanism does not match), ptr-limit (neutral: only the first 10 PTR names count),
    p-macro-multiple (pass).
.EXAMPLE
    dotnet pwsh tests/peer/Compare-Spf.ps1
#>
[CmdletBinding()]
param(
    # Loopback address the DNS peers listen on.
    [string] $Address = '127.0.54.1',
    # Port of scenario 0; scenario N listens on BasePort + N.
    [int] $BasePort = 5401,
    # Use the module already in out/MailSecurity and the built test peers.
    [switch] $SkipBuild,
    # Print every case, not only the disagreements.
    [switch] $ShowAll
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$suitePath = Join-Path $root '../shared/conformance/spf/rfc7208-tests.json'
$peersProject = Join-Path $root 'tests/MailSecurity.TestPeers'

# The Debian package installs into the system interpreter; a pyenv or venv python3 first on PATH would not see it.
$python = if (Test-Path /usr/bin/python3) { '/usr/bin/python3' } else { 'python3' }
& $python -c 'import spf, DNS' 2>$null
if ($LASTEXITCODE -ne 0) {
    throw 'pyspf is missing: install the Debian package python3-spf (apt-get install -y python3-spf).'
}

if (-not $SkipBuild) {
    & dotnet pwsh (Join-Path $root 'build.ps1') -Task Build
    if ($LASTEXITCODE -ne 0) { throw 'Module build failed.' }
    & dotnet build $peersProject --nologo --verbosity quiet
    if ($LASTEXITCODE -ne 0) { throw 'Test peers build failed.' }
}

$peersDll = Join-Path $peersProject 'bin/Debug/net10.0/MailSecurity.TestPeers.dll'
$scenarios = @(Get-Content -Raw $suitePath | ConvertFrom-Json -AsHashtable)
$work = Join-Path ([IO.Path]::GetTempPath()) "compare-spf-$PID"
$null = New-Item -ItemType Directory -Force $work
$peerArgs = [Collections.Generic.List[string]]::new()
$peerArgs.Add($peersDll)
$cases = [Collections.Generic.List[object]]::new()
for ($i = 0; $i -lt $scenarios.Count; $i++) {
    $zoneFile = Join-Path $work ('zone-{0:00}.json' -f $i)
    $scenarios[$i]['zonedata'] | ConvertTo-Json -Depth 10 | Set-Content -Encoding utf8NoBOM $zoneFile
    if ($i -gt 0) { $peerArgs.Add('--') }
    $peerArgs.AddRange([string[]]@('dns-zone', $Address, [string]($BasePort + $i), "zone=$zoneFile", 'spf-as-txt'))
    foreach ($name in ($scenarios[$i]['tests'].Keys | Sort-Object)) {
        $t = $scenarios[$i]['tests'][$name]
        $cases.Add([pscustomobject]@{
            Id       = ('{0:00}/{1}' -f $i, $name)
            Host     = [string]$t['host']
            MailFrom = [string]$t['mailfrom']
            Helo     = [string]$t['helo']
            Expected = @($t['result'])
            Port     = $BasePort + $i
        })
    }
}

$stdout = Join-Path $work 'peers.out'
$peers = Start-Process -FilePath dotnet -ArgumentList $peerArgs -RedirectStandardOutput $stdout -RedirectStandardError (Join-Path $work 'peers.err') -PassThru
try {
    $deadline = (Get-Date).AddSeconds(30)
    while (-not ((Test-Path $stdout) -and (Select-String -Quiet -Path $stdout -Pattern '^ready'))) {
        if ($peers.HasExited -or (Get-Date) -gt $deadline) { throw "The DNS peers did not start: $(Get-Content -Raw (Join-Path $work 'peers.err'))" }
        Start-Sleep -Milliseconds 200
    }

    Import-Module (Join-Path $root 'out/MailSecurity/MailSecurity.psd1') -Force
    $ours = @{}
    foreach ($c in $cases) {
        # RFC 7208 §2.4: an empty MAIL FROM is checked as postmaster@<HELO name>.
        if ($c.MailFrom) { $domain = $c.MailFrom.Substring($c.MailFrom.LastIndexOf('@') + 1); $sender = $c.MailFrom }
        else { $domain = $c.Helo; $sender = "postmaster@$($c.Helo)" }
        $err = $null
        $r = Test-SpfRecord -Domain $domain -IPAddress $c.Host -Sender $sender -HeloName $c.Helo -DnsServer "$($Address):$($c.Port)" -TimeoutSec 1 -ErrorAction SilentlyContinue -ErrorVariable err
        $ours[$c.Id] = if ($r) { $r.Result.ToString().ToLowerInvariant() } else { "error:$($err[0].FullyQualifiedErrorId)" }
    }

    $requests = $cases | ForEach-Object {
        @{ id = $_.Id; host = $_.Host; mailfrom = $_.MailFrom; helo = $_.Helo; server = $Address; port = $_.Port } | ConvertTo-Json -Compress
    }
    $py = @{}
    $requests | & $python (Join-Path $PSScriptRoot 'pyspf_check.py') | ConvertFrom-Json | ForEach-Object { $py[$_.id] = $_.result }
}
finally {
    Stop-Process -Id $peers.Id -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}

$rows = foreach ($c in $cases) {
    [pscustomobject]@{
        Case     = $c.Id
        Expected = $c.Expected -join '|'
        Ours     = $ours[$c.Id]
        PySpf    = $py[$c.Id]
        Agree    = $ours[$c.Id] -eq $py[$c.Id]
        OursOk   = $c.Expected -contains $ours[$c.Id]
        PySpfOk  = $c.Expected -contains $py[$c.Id]
    }
}

if ($ShowAll) {
    $rows | Format-Table Case, Expected, Ours, PySpf, Agree -AutoSize | Out-String -Width 200
}

$disagree = @($rows | Where-Object { -not $_.Agree })
if ($disagree.Count -gt 0) {
    'Disagreements:'
    $disagree | Format-Table Case, Expected, Ours, PySpf, OursOk, PySpfOk -AutoSize | Out-String -Width 200
}

$n = $rows.Count
'Cases: {0}. Same result: {1}. Different: {2}. Acceptable per the suite: ours {3}/{0}, pyspf {4}/{0}.' -f $n,
    @($rows | Where-Object Agree).Count, $disagree.Count, @($rows | Where-Object OursOk).Count, @($rows | Where-Object PySpfOk).Count
