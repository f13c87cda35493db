# Peers side by side (tests/bench/README.md, "4. Peers"). Dot-sourced by Invoke-Bench.ps1: uses its helpers and
# variables (Invoke-Timed, Invoke-Scenario, New-Unavailable, Get-Median, $Sizes, $Pwsh, $Root, $OutputPath,
# $ModulePath, $scenarioScript, $LabNet, $labEnv, $resolver, $proxies, $hasSmtpCert, $peersProject).
#
# Every row compares answers case by case and reports:
#   Cases, Agree, Disagreements ("case: ours X | peer Y"), TimedOut (cases where either side waited out a timeout),
#   per-case median and max milliseconds of each side, and two timings:
#   - steady state: both sides in one warm process each (every case answered once, untimed, first), the sum of the
#     per-case times over the cases where neither side timed out (OursSeconds, PeerSeconds, Ratio);
#   - with process start: a sample of the cases, one fresh process per case, as a scheduled task pays it
#     (ProcessStart: median wall time per case of each side, measured outside the process).
# Answers are in a shared vocabulary chosen per row (Measure-BenchScenario.ps1, Invoke-PeerCase, for ours; the peer
# drivers for theirs); the per-case list is kept in results.json (Answers).

# One row from the two sides' per-case answers (objects with id, answer, ms, timedOut).
function New-PeerComparison {
    param([System.Collections.IDictionary] $Row, [object[]] $Ours, [object[]] $Theirs, $ProcessStart, [string] $Note,
        # Case id -> the results the case's source accepts (the RFC 7208 suite's), when it gives them.
        [hashtable] $Expected)
    $peerById = @{}
    foreach ($p in $Theirs) { $peerById[[string]$p.id] = $p }
    $answers = foreach ($o in $Ours) {
        $p = $peerById[[string]$o.id]
        [ordered]@{
            Case = [string]$o.id; Ours = [string]$o.answer; Peer = if ($p) { [string]$p.answer } else { 'no answer' }
            OursMs = [double]$o.ms; PeerMs = if ($p) { [double]$p.ms } else { $null }
            OursTimedOut = [bool]$o.timedOut; PeerTimedOut = if ($p) { [bool]$p.timedOut } else { $false }
            OursDetail = [string]$o.detail; PeerDetail = if ($p) { [string]$p.detail } else { '' }
        }
    }
    $answers = @($answers)
    $judged = [ordered]@{}
    if ($Expected) {
        foreach ($a in $answers) { $a.Expected = @($Expected[$a.Case]) }
        $judged = [ordered]@{
            OursAsExpected = @($answers | Where-Object { $_.Expected -contains $_.Ours }).Count
            PeerAsExpected = @($answers | Where-Object { $_.Expected -contains $_.Peer }).Count
        }
    }
    $steady = @($answers | Where-Object { -not $_.OursTimedOut -and -not $_.PeerTimedOut -and $null -ne $_.PeerMs })
    $oursSum = ($steady | ForEach-Object { $_.OursMs } | Measure-Object -Sum).Sum / 1000
    $peerSum = ($steady | ForEach-Object { $_.PeerMs } | Measure-Object -Sum).Sum / 1000
    $oursMs = [double[]]@($answers | ForEach-Object { $_.OursMs })
    $peerMs = [double[]]@($answers | Where-Object { $null -ne $_.PeerMs } | ForEach-Object { $_.PeerMs })
    $Row + [ordered]@{
        Available = $true; Cases = $answers.Count
        Agree = @($answers | Where-Object { $_.Ours -eq $_.Peer }).Count
        Disagreements = @($answers | Where-Object { $_.Ours -ne $_.Peer } | ForEach-Object { '{0}: ours {1} | peer {2}' -f $_.Case, $_.Ours, $_.Peer })
        TimedOut = @($answers | Where-Object { $_.OursTimedOut -or $_.PeerTimedOut } | ForEach-Object { '{0}: {1}' -f $_.Case, $(if ($_.OursTimedOut -and $_.PeerTimedOut) { 'both' } elseif ($_.OursTimedOut) { 'ours' } else { 'peer' }) })
        OursMedianMs = [math]::Round((Get-Median $oursMs), 2); OursMaxMs = [math]::Round(($oursMs | Measure-Object -Maximum).Maximum, 2)
        PeerMedianMs = if ($peerMs.Count) { [math]::Round((Get-Median $peerMs), 2) } else { $null }
        PeerMaxMs = if ($peerMs.Count) { [math]::Round(($peerMs | Measure-Object -Maximum).Maximum, 2) } else { $null }
        SteadyCases = $steady.Count
        OursSeconds = [math]::Round($oursSum, 3); PeerSeconds = [math]::Round($peerSum, 3)
        Ratio = if ($peerSum -gt 0) { [math]::Round($oursSum / $peerSum, 3) } else { $null }
        ProcessStart = $ProcessStart
        Note = $Note
    } + $judged + [ordered]@{ Answers = $answers }
}

# Every n-th case, so the process-start sample spreads over the list (the same cases for both sides).
function Select-CaseSample([string[]] $Lines, [int] $Count) {
    if ($Lines.Count -le $Count) { return $Lines }
    $step = $Lines.Count / $Count
    @(for ($i = 0; $i -lt $Count; $i++) { $Lines[[int][math]::Floor($i * $step)] })
}

# Each sampled case in a fresh process of each side; wall time measured outside the process. $PeerCommand gets a
# one-line case file and returns @{ FilePath; ArgumentList; Environment }; a peer that is one process per case anyway
# (posttls-finger) gives its times of the sampled cases as -PeerTimes instead.
function Measure-ProcessStart {
    param([string[]] $CaseLines, [scriptblock] $PeerCommand, [string] $Folder, [double[]] $PeerTimes)
    $sample = @(Select-CaseSample $CaseLines $Sizes.ProcessStartCases)
    $oursMs = [Collections.Generic.List[double]]::new(); $peerMs = [Collections.Generic.List[double]]::new()
    $i = 0
    foreach ($line in $sample) {
        $one = Join-Path $Folder ('process-start-{0}.jsonl' -f $i++)
        Set-Content -Path $one -Value $line -Encoding utf8NoBOM
        $ours = Invoke-Timed -FilePath $Pwsh.Exe -ArgumentList (@($Pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $scenarioScript, '-ModulePath', $ModulePath, '-Scenario', 'Cases', '-CasesPath', $one))
        if ($ours.ExitCode -ne 0) { throw "Our side failed on $one (exit $($ours.ExitCode)): $($ours.Stderr)" }
        $oursMs.Add($ours.Seconds * 1000)
        if (-not $PeerCommand) { continue }
        $cmd = & $PeerCommand $one
        $peer = Invoke-Timed -FilePath $cmd.FilePath -ArgumentList $cmd.ArgumentList -StdinFile $one -Environment $cmd.Environment
        if ($peer.ExitCode -ne 0) { throw "The peer failed on $one (exit $($peer.ExitCode)): $($peer.Stderr)" }
        $peerMs.Add($peer.Seconds * 1000)
    }
    if ($PeerTimes) { foreach ($ms in $PeerTimes | Select-Object -First $sample.Count) { $peerMs.Add($ms) } }
    $om = Get-Median $oursMs; $pm = Get-Median $peerMs
    [ordered]@{
        Cases = $sample.Count; OursMedianMs = [math]::Round($om, 1); PeerMedianMs = [math]::Round($pm, 1)
        OursMs = @($oursMs | ForEach-Object { [math]::Round($_, 1) }); PeerMs = @($peerMs | ForEach-Object { [math]::Round($_, 1) })
        Ratio = [math]::Round($om / $pm, 3)
    }
}

# Our side of a case list, in one warm process (-WarmUp: every case once, untimed, first).
function Invoke-OursCases([string] $CasesPath) {
    $r = Invoke-Scenario @{ Scenario = 'Cases'; CasesPath = $CasesPath; WarmUp = $true; TimeoutSec = $Sizes.PeerTimeoutSec }
    if (-not $r.Available) { throw "Our side is not available: $($r.Reason)" }
    @($r.Cases)
}

function Read-JsonLines([string] $Text) { @($Text -split "`n" | Where-Object { $_.Trim().StartsWith('{') } | ConvertFrom-Json) }

# The npm package mailauth (tests/peer/mailauth, pinned by its package-lock.json): installed with npm ci into that
# folder on first use. Returns the reason it is not available, or $null.
function Test-MailauthPeer {
    $dir = Join-Path $Root 'tests/peer/mailauth'
    if (-not (Get-Command node -ErrorAction SilentlyContinue)) { return 'node is not installed (apt-get install nodejs npm)' }
    if (-not (Test-Path (Join-Path $dir 'node_modules/mailauth/package.json'))) {
        if (-not (Get-Command npm -ErrorAction SilentlyContinue)) { return 'npm is not installed (apt-get install npm)' }
        $npm = Invoke-Timed -FilePath (Get-Command npm).Source -ArgumentList @('ci', '--prefix', $dir, '--no-audit', '--no-fund') -TimeoutSec 600
        if ($npm.ExitCode -ne 0) { return "npm ci failed (exit $($npm.ExitCode)): $((@($npm.Stderr.Trim() -split "`n") | Select-Object -Last 2) -join ' / ')" }
    }
    $probe = Invoke-Timed -FilePath node -ArgumentList @('-e', "require('$dir/node_modules/mailauth/lib/spf')") -TimeoutSec 60
    if ($probe.ExitCode -ne 0) { return "mailauth does not load with this node ($((& node --version))): $((@($probe.Stderr.Trim() -split "`n") | Select-Object -First 2) -join ' / ')" }
    return $null
}

function Get-MailauthCommand([string] $CasesPath, [switch] $Warm) {
    $mailauthArgs = @((Join-Path $Root 'tests/peer/mailauth/mailauth_check.js'), 'check')
    if ($Warm) { $mailauthArgs += '--warm' }
    @{
        FilePath = (Get-Command node).Source; ArgumentList = $mailauthArgs
        # The same per-question timeout as ours; the lab's CA for the MTA-STS policy hosts (never a weaker check).
        Environment = @{ MAILAUTH_PEER_TIMEOUT_MS = [string]($Sizes.PeerTimeoutSec * 1000); NODE_EXTRA_CA_CERTS = $labEnv.TrustBundle }
    }
}

function Invoke-MailauthCases([string] $CasesPath) {
    $cmd = Get-MailauthCommand $CasesPath -Warm
    $run = Invoke-Timed -FilePath $cmd.FilePath -ArgumentList $cmd.ArgumentList -StdinFile $CasesPath -Environment $cmd.Environment
    if ($run.ExitCode -ne 0) { throw "mailauth_check.js failed (exit $($run.ExitCode)): $($run.Stderr)" }
    Read-JsonLines $run.Stdout
}

function Get-PySpfCommand([switch] $Warm) {
    $pyArgs = @((Join-Path $Root 'tests/peer/pyspf_check.py'), '--timeout', [string]$Sizes.PeerTimeoutSec)
    if ($Warm) { $pyArgs += '--warm' }
    @{ FilePath = '/usr/bin/python3'; ArgumentList = $pyArgs; Environment = @{} }
}

# posttls-finger has no batch mode: every check is a process, run inside one private mount namespace (the bench
# resolver bind-mounted over /etc/resolv.conf there only) and timed there. Returns one answer per host.
function Invoke-PosttlsFinger([string] $Level, [string[]] $Hosts, [string] $Folder) {
    $resolv = Join-Path $OutputPath 'resolv.conf'
    Set-Content -Path $resolv -Value "nameserver $resolver`noptions trust-ad edns0 timeout:$($Sizes.PeerTimeoutSec) attempts:1" -Encoding ascii
    # posttls-finger reads main.cf; a Postfix package installed without configuration has none in /etc/postfix, so it
    # reads the lab's (MAIL_CONFIG), whose settings it does not depend on otherwise.
    $mailConfig = Join-Path $labEnv.LabDir 'smtp/conf'
    # dane: with the SMTP chat (no -c): its "Connected to" and "< 250-STARTTLS" lines tell TlsFailed from ConnectFailed.
    $levelArgs = if ($Level -eq 'dane') { "-v -l dane -o dnssec_probe= -L summary,certmatch" } else { "-c -l secure -L summary,certmatch" }
    $script = [Text.StringBuilder]::new()
    $null = $script.AppendLine("export MAIL_CONFIG='$mailConfig'; mount --bind '$resolv' /etc/resolv.conf || exit 1")
    for ($i = 0; $i -lt $Hosts.Count; $i++) {
        $h = $Hosts[$i]
        $sni = if ($Level -eq 'secure') { "-s '$h'" } else { '' }
        $null = $script.AppendLine("s=`$(date +%s%N); posttls-finger -t 10 -T 10 $levelArgs $sni -F '$($labEnv.TrustBundle)' '[$h]:25' $(if ($Level -eq 'secure') { "'$h'" }) > '$Folder/finger-$i.out' 2>&1; e=`$(date +%s%N); echo `"$i `$(( (e - s) / 1000 ))`"")
    }
    $run = Invoke-Timed -FilePath unshare -ArgumentList @('--mount', '--propagation', 'private', '--', 'sh', '-c', $script.ToString())
    if ($run.ExitCode -ne 0) { throw "posttls-finger runs failed (exit $($run.ExitCode)): $($run.Stderr.Trim())" }
    $micros = @{}
    foreach ($line in $run.Stdout -split "`n") { if ($line -match '^(\d+) (\d+)$') { $micros[[int]$Matches[1]] = [double]$Matches[2] } }
    for ($i = 0; $i -lt $Hosts.Count; $i++) {
        $lines = @(Get-Content (Join-Path $Folder "finger-$i.out") -ErrorAction SilentlyContinue | ForEach-Object { "$_" })
        $ms = $micros[$i] / 1000
        if ($Level -eq 'dane') {
            $f = ConvertFrom-PosttlsFingerDane -Lines $lines
            $answer = $f.Category; $detail = $f.Detail
        } else {
            $f = ConvertFrom-PosttlsFingerSecure -Lines $lines
            $answer = Get-StartTlsCategory -Tls $f.Tls -Chain $f.Chain -Name $f.Name; $detail = '{0} {1}' -f $f.Protocol, $f.Detail
        }
        [pscustomobject]@{ id = $Hosts[$i]; answer = $answer; ms = [math]::Round($ms, 2); timedOut = [bool]($lines -match 'timed out|Connection timed out'); detail = $detail }
    }
}

function Measure-Peers {
    Import-Module (Join-Path $Root 'tests/peer/PosttlsFinger.psm1') -Force
    $peerDir = Join-Path $OutputPath 'peers'
    $null = New-Item -ItemType Directory -Force $peerDir
    $peersDll = Join-Path $peersProject 'bin/Release/net10.0/MailSecurity.TestPeers.dll'
    $rows = [Collections.Generic.List[object]]::new()
    $dnsPort = 53
    $mailauthMissing = Test-MailauthPeer

    # posttls-finger (postfix): STARTTLS with PKIX and host-name checks, and DANE, host by host.
    $smtpBack = "$LabNet.25.10:25"
    foreach ($pair in @(
            @{ Ours = 'Test-SmtpStartTls'; Level = 'secure'; Kind = 'starttls'; Work = 'STARTTLS with PKIX and host-name check, one host per case'
               Hosts = @('mx1.benchlat.test', 'mx2.benchlat.test', 'valid.mx.smtp.test', 'expired.mx.smtp.test', 'wrong-name.mx.smtp.test', 'self-signed.mx.smtp.test', 'no-intermediate.mx.smtp.test', 'no-starttls.mx.smtp.test', 'tls12.mx.smtp.test', 'cn-only.mx.smtp.test') }
            @{ Ours = 'Test-DaneTlsa'; Level = 'dane'; Kind = 'dane'; Work = 'DANE (TLSA lookup, STARTTLS, match), one host per case'
               Hosts = @('mx1.benchlat.test', 'mx2.benchlat.test', 'ee.dane.test', 'ta.dane.test', 'mismatch.dane.test', 'expired-ee.dane.test', 'no-starttls.dane.test', 'pkix.dane.test', 'bogus-tlsa.dane.test', 'mx.dane-insecure.test') })) {
        $row = [ordered]@{ Peer = "posttls-finger -l $($pair.Level)"; Ours = $pair.Ours; Work = $pair.Work }
        Write-Step "peer posttls-finger: $($pair.Ours)"
        if (-not (Test-Path /usr/sbin/posttls-finger)) { $rows.Add($row + (New-Unavailable 'posttls-finger is not installed (apt-get install postfix)')); continue }
        if ($proxies.Tcp -notcontains $smtpBack) { $rows.Add($row + (New-Unavailable "the lab's SMTP tier (a listener on $smtpBack) is not there")); continue }
        if ($pair.Level -eq 'dane' -and -not $hasSmtpCert) { $rows.Add($row + (New-Unavailable 'no bench-mx certificate for the TLSA records')); continue }
        $hosts = if ($Quick) { @($pair.Hosts | Select-Object -First 3) } else { $pair.Hosts }
        $casesPath = Join-Path $peerDir "$($pair.Kind).jsonl"
        $lines = @($hosts | ForEach-Object { @{ id = $_; kind = $pair.Kind; host = $_; server = $resolver; port = $dnsPort } | ConvertTo-Json -Compress })
        Set-Content -Path $casesPath -Value $lines -Encoding utf8NoBOM
        $ours = Invoke-OursCases $casesPath
        $folder = Join-Path $peerDir "finger-$($pair.Level)"
        $null = New-Item -ItemType Directory -Force $folder
        # Warm the resolver's and the proxies' paths like our warm-up pass does, then the timed pass.
        $null = Invoke-PosttlsFinger $pair.Level $hosts $folder
        $theirs = @(Invoke-PosttlsFinger $pair.Level $hosts $folder)
        # posttls-finger is one process per check: its steady state and its process-start figure are the same runs.
        $sampled = @(Select-CaseSample $hosts $Sizes.ProcessStartCases)
        $oursCold = Measure-ProcessStart -CaseLines $lines -Folder $folder -PeerTimes ([double[]]@($theirs | Where-Object { $sampled -contains $_.id } | ForEach-Object { $_.ms }))
        $rows.Add((New-PeerComparison -Row $row -Ours $ours -Theirs $theirs -ProcessStart $oursCold -Note 'posttls-finger has no batch mode: each of its checks is a process, so its per-case time includes process start in both figures'))
    }

    # SPF: pyspf (python3-spf) and mailauth over the RFC 7208 suite, all asking the same in-memory DNS servers.
    $suite = Join-Path $Root 'tests/conformance/spf/rfc7208-tests.json'
    $peerNames = @(& dotnet $peersDll --list 2>$null)
    $spfCases = $null
    if ((Test-Path $suite) -and $peerNames -contains 'dns-zone') {
        $scenarios = @(Get-Content -Raw $suite | ConvertFrom-Json -AsHashtable)
        $spfDir = Join-Path $OutputPath 'spf'
        $null = New-Item -ItemType Directory -Force $spfDir
        $address = "$LabNet.54.1"; $basePort = 5401
        $specs = [Collections.Generic.List[string]]::new(); $spfCases = [Collections.Generic.List[string]]::new()
        $spfExpected = @{}
        $leftOut = 0
        for ($i = 0; $i -lt $scenarios.Count; $i++) {
            $zoneJson = $scenarios[$i]['zonedata'] | ConvertTo-Json -Depth 10
            # Scenarios that simulate DNS timeouts measure each tool's timeout setting, not its work: left out.
            if ($zoneJson -match '"TIMEOUT"') { $leftOut += $scenarios[$i]['tests'].Count; continue }
            $zoneFile = Join-Path $spfDir ('zone-{0:00}.json' -f $i)
            $zoneJson | Set-Content -Encoding utf8NoBOM $zoneFile
            if ($specs.Count) { $specs.Add('--') }
            $specs.AddRange([string[]]@('dns-zone', $address, [string]($basePort + $i), "zone=$zoneFile", 'spf-as-txt'))
            foreach ($name in ($scenarios[$i]['tests'].Keys | Sort-Object)) {
                $t = $scenarios[$i]['tests'][$name]
                $spfExpected["$i/$name"] = @($t['result'])
                $spfCases.Add((@{ id = "$i/$name"; kind = 'spf'; host = [string]$t['host']; mailfrom = [string]$t['mailfrom']; helo = [string]$t['helo']; server = $address; port = $basePort + $i } | ConvertTo-Json -Compress))
            }
        }
        if ($Quick) { $spfCases = [Collections.Generic.List[string]]@(Select-CaseSample $spfCases 20) }
        $casesPath = Join-Path $spfDir 'cases.jsonl'
        Set-Content -Path $casesPath -Value $spfCases -Encoding utf8NoBOM
    }
    $spfRows = @(
        @{ Peer = 'pyspf (python3-spf)'; Missing = $(if (-not (Test-PySpf)) { 'pyspf is not installed (apt-get install python3-spf)' }) }
        @{ Peer = 'mailauth (npm)'; Missing = $mailauthMissing })
    $zp = $null
    try {
        if ($spfCases) {
            $zp = Start-Process -FilePath dotnet -ArgumentList (@($peersDll) + $specs) -RedirectStandardOutput (Join-Path $spfDir 'peers.out') -RedirectStandardError (Join-Path $spfDir 'peers.err') -PassThru
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Select-String -Quiet -Path (Join-Path $spfDir 'peers.out') -Pattern '^ready' -ErrorAction SilentlyContinue)) {
                if ($zp.HasExited -or [DateTime]::UtcNow -gt $deadline) { throw 'The dns-zone peers did not start.' }
                Start-Sleep -Milliseconds 200
            }
            Write-Step 'peer SPF: RFC 7208 suite, ours'
            $oursSpf = Invoke-OursCases $casesPath
        }
        foreach ($p in $spfRows) {
            $row = [ordered]@{ Peer = $p.Peer; Ours = 'Test-SpfRecord'; Work = "check_host() for the RFC 7208 suite cases without simulated timeouts, same dns-zone servers, no delay" }
            if (-not $spfCases) { $rows.Add($row + (New-Unavailable "the RFC 7208 suite ($suite) or the dns-zone test peer is missing")); continue }
            if ($p.Missing) { $rows.Add($row + (New-Unavailable $p.Missing)); continue }
            Write-Step "peer SPF: $($p.Peer)"
            if ($p.Peer -like 'pyspf*') {
                $cmd = Get-PySpfCommand -Warm
                $run = Invoke-Timed -FilePath $cmd.FilePath -ArgumentList $cmd.ArgumentList -StdinFile $casesPath
                if ($run.ExitCode -ne 0) { throw "pyspf_check.py failed: $($run.Stderr)" }
                $theirs = @(Read-JsonLines $run.Stdout | ForEach-Object { [pscustomobject]@{ id = $_.id; answer = $_.result; ms = $_.ms; timedOut = $_.timedOut; detail = $_.explanation } })
                $cold = Measure-ProcessStart -CaseLines $spfCases -Folder $spfDir -PeerCommand { param($one) Get-PySpfCommand }
            } else {
                $theirs = Invoke-MailauthCases $casesPath
                $cold = Measure-ProcessStart -CaseLines $spfCases -Folder $spfDir -PeerCommand { param($one) Get-MailauthCommand $one }
            }
            $rows.Add((New-PeerComparison -Row $row -Ours $oursSpf -Theirs $theirs -ProcessStart $cold -Expected $spfExpected -Note "$leftOut suite cases whose zone data simulates timeouts are left out (their time is each tool's timeout setting); OursAsExpected/PeerAsExpected: answers the suite accepts"))
        }
    } finally {
        if ($zp) { Stop-Process -Id $zp.Id -ErrorAction SilentlyContinue }
    }

    # mailauth: the MTA-STS discovery and policy fetch from the lab's nginx policy hosts (RFC 8461 §3).
    $row = [ordered]@{ Peer = 'mailauth (npm)'; Ours = 'Get-MtaStsPolicy -SkipMxCheck'; Work = 'MTA-STS TXT discovery and HTTPS policy fetch of the lab''s sts-*.test domains, same resolver and RTT' }
    Write-Step 'peer mailauth: MTA-STS'
    if ($mailauthMissing) { $rows.Add($row + (New-Unavailable $mailauthMissing)) }
    else {
        # sts-slow.test is left out: its policy host answers after mailauth's fixed 15 s HTTP timeout and ours.
        $domains = @('sts-enforce.test', 'sts-testing.test', 'sts-none.test', 'sts-wild.test', 'sts-wild2.test', 'sts-404.test', 'sts-html.test',
            'sts-crlf.test', 'sts-maxage.test', 'sts-nomx.test', 'sts-twotxt.test', 'sts-redirect.test', 'sts-wrongname.test', 'sts-expired.test',
            'sts-huge.test', 'sts-large.test', 'sts-nonutf8.test', 'sts-cname.test', 'sts-hyphen.test', 'sts-uncovered.test', 'mtasts-txt.test')
        if ($Quick) { $domains = @($domains | Select-Object -First 4) }
        $lines = @($domains | ForEach-Object { @{ id = $_; kind = 'mtasts'; domain = $_; server = $resolver; port = $dnsPort } | ConvertTo-Json -Compress })
        $casesPath = Join-Path $peerDir 'mtasts.jsonl'
        Set-Content -Path $casesPath -Value $lines -Encoding utf8NoBOM
        $ours = Invoke-OursCases $casesPath
        $theirs = Invoke-MailauthCases $casesPath
        $cold = Measure-ProcessStart -CaseLines $lines -Folder $peerDir -PeerCommand { param($one) Get-MailauthCommand $one }
        $rows.Add((New-PeerComparison -Row $row -Ours $ours -Theirs $theirs -ProcessStart $cold -Note 'answers: "<mode> mx=<patterns>", no-policy, or error (no policy applies; the reason, in each tool''s words, is in the details)'))
    }

    # mailauth: DKIM and ARC verification of the same messages (signed with the lab's keys, served by the lab DNS).
    $row = [ordered]@{ Peer = 'mailauth (npm)'; Ours = 'Resolve-HopSecurity -Path (DKIM, ARC)'; Work = 'DKIM signatures and ARC chain of messages signed with the lab''s keys (keys.dkim-lab.test), same resolver and RTT' }
    Write-Step 'peer mailauth: DKIM and ARC'
    if ($mailauthMissing) { $rows.Add($row + (New-Unavailable $mailauthMissing)) }
    else {
        $msgDir = Join-Path $peerDir 'messages'
        $pki = Join-Path $labEnv.LabDir 'pki'
        $keys = @{ rsa = "$pki/dkim-good.key"; ed25519 = "$pki/dkim-ed.key"; weak = "$pki/dkim-weak.key"; short = "$pki/dkim-short.key"; domain = 'keys.dkim-lab.test'; server = $resolver; port = $dnsPort }
        $keysPath = Join-Path $peerDir 'keys.json'
        $keys | ConvertTo-Json | Set-Content -Path $keysPath -Encoding utf8NoBOM
        $signed = Invoke-Timed -FilePath node -ArgumentList @((Join-Path $Root 'tests/peer/mailauth/mailauth_check.js'), 'sign', $keysPath, $msgDir)
        if ($signed.ExitCode -ne 0) { throw "Signing the bench messages failed: $($signed.Stderr)" }
        $lines = @($signed.Stdout -split "`n" | Where-Object { $_.Trim() })
        if ($Quick) { $lines = @($lines | Select-Object -First 4) }
        $casesPath = Join-Path $peerDir 'messages.jsonl'
        Set-Content -Path $casesPath -Value $lines -Encoding utf8NoBOM
        $ours = Invoke-OursCases $casesPath
        $theirs = Invoke-MailauthCases $casesPath
        $cold = Measure-ProcessStart -CaseLines $lines -Folder $peerDir -PeerCommand { param($one) Get-MailauthCommand $one }
        $rows.Add((New-PeerComparison -Row $row -Ours $ours -Theirs $theirs -ProcessStart $cold -Note 'answers: dkim=<d/s:result,...> arc=<result>; messages signed and sealed by mailauth (tests/peer/mailauth/mailauth_check.js sign), some changed after signing'))
    }
    $rows
}
