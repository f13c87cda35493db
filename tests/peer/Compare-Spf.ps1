#requires -Version 7.2
<#
.SYNOPSIS
    Runs SPF cases through our Test-SpfRecord and through pyspf (Debian python3-spf) side by side, both asking the
    same DNS server, and prints agreements and disagreements.
.DESCRIPTION
    Two modes.

    Suite (default): the RFC 7208 test suite. One MailSecurity.TestPeers process serves every suite scenario as a
    dns-zone peer (SPF-type records also served as TXT, as the suite's header asks) on <Address>:<BasePort + scenario>.

    -Lab: the lab's own SPF zone (tests/lab/zones/spf-lab.test.zone) through the lab's validating Unbound, with the
    cases and RFC 7208 results of tests/Pester/SpfRecord.cases.psd1 (the lab must be running; MAILSECURITY_LAB_NET picks
    which one).

    Our side is the built module (out/MailSecurity); pyspf's side is tests/peer/pyspf_check.py (py3dns pointed at the
    same server and port).

    Known disagreements, and whose reading is right (pyspf 2.0.14 as packaged in Debian 12):

    Suite. Last run: 203 cases, 202 same result, 1 different; acceptable per the suite: ours 203/203, pyspf 202/203.
    - 06/a-dash-in-toplabel (record 'v=spf1 a:foo.example.xn--zckzah -all', the name has an A record 1.2.3.4):
      ours pass, pyspf fail. pyspf bug: py3dns 3.2.1 decodes owner names of answers to Unicode
      ('foo.example.テスト'), and pyspf keeps only answer records whose owner equals the name it asked
      ('foo.example.xn--zckzah'), so it sees no address and '-all' decides. The suite expects pass. (Our DNS layer
      had the same flaw through DnsClient's DnsString.Value; it now compares the wire form.)

    Lab. Last run: 52 cases, 50 same result, 2 different; as RFC 7208 expects: ours 52/52, pyspf 50/52.
    - tempfail.spf-lab.test for 198.18.0.1 ('include:spf.bogus.test', which the validating resolver answers SERVFAIL
      because bogus.test's signatures are broken): ours temperror, pyspf permerror. pyspf bug: its py3dns driver
      (DNSLookup_pydns) checks the RCODE only after a TCP retry, so a SERVFAIL over UDP reads as an empty answer, the
      include target as "no SPF record" and the include as permerror. RFC 7208 §4.4 and §5.2: a DNS error (RCODE
      other than 0 or 3) in the include's check_host() is temperror.
    - xn--bcher-kva.spf-lab.test for 192.0.2.1 (a record published at an A-label name): ours pass, pyspf none. The
      same py3dns flaw as 06/a-dash-in-toplabel: the TXT answer's owner comes back decoded ('bücher.spf-lab.test'),
      differs from the name asked, and pyspf drops it, so it sees no record at all.

    Cases the suite leaves open (several acceptable results) where both sides made the same choice: multispf1
    (permerror), invalid-domain-empty-label / invalid-domain-long / invalid-domain-long-via-macro (fail: the target
    name is unusable, so the mechanism does not match), ptr-limit (neutral: only the first 10 PTR names count),
    p-macro-multiple (pass).
.EXAMPLE
    dotnet pwsh tests/peer/Compare-Spf.ps1
.EXAMPLE
    MAILSECURITY_LAB_NET=127.4 dotnet pwsh tests/peer/Compare-Spf.ps1 -Lab -SkipBuild -ShowAll
#>
[CmdletBinding(DefaultParameterSetName = 'Suite')]
param(
    # Loopback address the DNS peers listen on.
    [Parameter(ParameterSetName = 'Suite')]
    [string] $Address = '127.0.54.1',
    # Port of scenario 0; scenario N listens on BasePort + N.
    [Parameter(ParameterSetName = 'Suite')]
    [int] $BasePort = 5401,
    # Compare on the lab's SPF zone through the lab's validating resolver instead of the RFC 7208 suite.
    [Parameter(Mandatory, ParameterSetName = 'Lab')]
    [switch] $Lab,
    # Use the module already in out/MailSecurity and the built test peers.
    [switch] $SkipBuild,
    # Print every case, not only the disagreements.
    [switch] $ShowAll
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$suitePath = Join-Path $root 'tests/conformance/spf/rfc7208-tests.json'
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
    if (-not $Lab) {
        & dotnet build $peersProject --nologo --verbosity quiet
        if ($LASTEXITCODE -ne 0) { throw 'Test peers build failed.' }
    }
}

if ($Lab) {
    # The lab's validating resolver, from lab.env.json (the same lookup as tests/Pester/LabSupport.psm1).
    $net = if ($env:MAILSECURITY_LAB_NET) { $env:MAILSECURITY_LAB_NET } else { '127.0' }
    $leaf = if ($net -eq '127.0') { 'mailsecurity-lab' } else { "mailsecurity-lab-$net" }
    $labDir = if ($env:MAILSECURITY_LAB_DIR) { $env:MAILSECURITY_LAB_DIR } else { Join-Path ([IO.Path]::GetTempPath()) $leaf }
    $envFile = Join-Path $labDir 'lab.env.json'
    if (-not (Test-Path $envFile)) { throw "The lab is not running ($envFile is missing): tests/lab/lab.sh start, as root." }
    $resolver = (Get-Content -Raw $envFile | ConvertFrom-Json).Resolver
    # A fixed HELO name unless the case gives one; the MAIL FROM is postmaster@<domain> unless the case gives a sender.
    $cases = foreach ($c in (Import-PowerShellDataFile (Join-Path $root 'tests/Pester/SpfRecord.cases.psd1')).Cases) {
        $sender = if ($c['Sender']) { $c['Sender'] } else { "postmaster@$($c.Domain)" }
        $helo = if ($c['Helo']) { $c['Helo'] } else { 'mta.example.net' }
        [pscustomobject]@{
            Id = "$($c.Domain) $($c.IPAddress)" + $(if ($c['Sender']) { " $sender" } elseif ($c['Helo']) { " HELO $helo" } else { '' })
            Domain = $c.Domain; Host = $c.IPAddress; MailFrom = $sender; Helo = $helo; Expected = @($c.Result.ToLowerInvariant())
        }
    }

    Import-Module (Join-Path $root 'out/MailSecurity/MailSecurity.psd1') -Force
    $ours = @{}
    $oursExp = @{}
    $pyExp = @{}
    foreach ($c in $cases) {
        $err = $null
        $r = Test-SpfRecord -Domain $c.Domain -IPAddress $c.Host -Sender $c.MailFrom -HeloName $c.Helo -DnsServer $resolver -ErrorAction SilentlyContinue -ErrorVariable err
        $ours[$c.Id] = if ($r) { $r.Result.ToString().ToLowerInvariant() } else { "error:$($err[0].FullyQualifiedErrorId)" }
        $oursExp[$c.Id] = if ($r -and $r.Explanation) { $r.Explanation } else { $null }
    }

    $py = @{}
    $cases | ForEach-Object { @{ id = $_.Id; host = $_.Host; mailfrom = $_.MailFrom; helo = $_.Helo; server = $resolver; port = 53 } | ConvertTo-Json -Compress } |
        & $python (Join-Path $PSScriptRoot 'pyspf_check.py') | ConvertFrom-Json | ForEach-Object {
            $py[$_.id] = $_.result
            # pyspf_check.py sets 'DEFAULT' as pyspf's default explanation: that means no exp= text was used.
            $pyExp[$_.id] = if ($_.result -eq 'fail' -and $_.explanation -ne 'DEFAULT') { $_.explanation } else { $null }
        }
}
else {
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
$judge = if ($Lab) { 'As RFC 7208 expects (tests/Pester/SpfRecord.cases.psd1)' } else { 'Acceptable per the suite' }
'Cases: {0}. Same result: {1}. Different: {2}. {5}: ours {3}/{0}, pyspf {4}/{0}.' -f $n,
    @($rows | Where-Object Agree).Count, $disagree.Count, @($rows | Where-Object OursOk).Count, @($rows | Where-Object PySpfOk).Count, $judge

if ($Lab) {
    # exp= explanations (RFC 7208 §6.2): compared where either side produced one.
    $explained = @($cases | Where-Object { $oursExp[$_.Id] -or $pyExp[$_.Id] })
    foreach ($c in $explained | Where-Object { $oursExp[$_.Id] -cne $pyExp[$_.Id] }) {
        "Explanation differs for $($c.Id): ours '$($oursExp[$c.Id])', pyspf '$($pyExp[$c.Id])'"
    }
    'Explanations: {0} case(s) with an exp= text, {1} identical.' -f $explained.Count, @($explained | Where-Object { $oursExp[$_.Id] -ceq $pyExp[$_.Id] }).Count
}
