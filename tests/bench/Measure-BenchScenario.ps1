<#
.SYNOPSIS
    One bench measurement in a fresh PowerShell process; prints one JSON object as its last line.
.DESCRIPTION
    Called by Invoke-Bench.ps1 (never by hand): each measurement gets its own `pwsh -NoProfile` so that peak working
    set, JIT state and the module's per-run DNS cache belong to that measurement alone. Times exclude process start and
    module import unless the scenario is Import.

    Scenarios:
      Import      Import-Module time inside a fresh process.
      Latency     -Command on one -Domain, -Repetitions times (after one warm-up on -WarmupDomain): wall time of each.
      Bulk        -Command over -Count generated names ('d{0:d5}.<BulkZone>'), streamed, with -ThrottleLimit when given:
                  elapsed time, results, errors, working set after import and peak working set (VmHWM) at the end.
      Probe       -Command -HostName <HostName> -Repetitions times (STARTTLS/DANE side by side with posttls-finger).
      SpfSuite    Test-SpfRecord over the cases of -CasesPath (JSON lines: host, mailfrom, helo, server, port).
      Scale       Resolve-HopSecurity over -Count generated names, streamed, each result written as one line of compact
                  JSON to -JsonLinesPath (Export-HopJsonLines below); the working set, the managed heap and the
                  elapsed time are sampled -Samples times over the run (memory flatness over a long run).
      Cases       The peer comparison cases of -CasesPath (JSON lines with a kind: spf, mtasts, message, starttls,
                  dane; tests/bench/Measure-Peers.ps1), each answered and timed on its own; -WarmUp answers every
                  case once, untimed, first (steady state). Prints one answer, time and timeout flag per case.
    A command that is not implemented yet (ErrorId NotImplemented) gives Available = false and the reason.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [ValidateSet('Import', 'Latency', 'Bulk', 'Probe', 'SpfSuite', 'Cases', 'Scale')] [string] $Scenario,
    [string] $Command = 'Get-MailAuthRecords',
    [string] $Domain,
    [string] $WarmupDomain,
    [string] $HostName,
    [string] $BulkZone = 'bulk.test',
    [int] $Count = 0,
    [int] $ThrottleLimit = 0,
    [int] $Repetitions = 5,
    [string] $DnsServer,
    [string] $CasesPath,
    # Bulk: the delay proxy's DNS query log (one line per UDP query) and TCP connection log; the lines added during
    # the timed run alone are counted (not the availability check before it).
    [string] $QueryLog,
    [string] $TcpLog,
    # Bulk: write the distinct questions of the timed run ("name type" lines) here (the dig comparison replays them).
    [string] $QuestionsOut,
    # Bulk: run the same input once, untimed, first: the resolver's cache is then warm for every run alike.
    [switch] $WarmUp,
    # Bulk: take the live managed heap (a full, blocking collection) at 40% and 90% of the results. Only the memory rows
    # read it; a throughput run leaves it off, or it would time two full collections as the command's work.
    [switch] $HeapSnapshots,
    # Bulk: timed passes over the same input, each with a fresh cmdlet call (and so a fresh run cache); Seconds is the
    # median pass. The DNS counts, errors and snapshots are the first pass's. A run of about a second is at the mercy of
    # one scheduling hiccup on a 2-core machine; the median of three is not.
    [int] $Passes = 1,
    # Bulk/Latency: -DnssecValidation and -TrustAnchorPath for the cmdlets that have them (issue 13).
    [string] $DnssecValidation,
    [string] $TrustAnchorPath,
    [int] $TimeoutSec = 10,
    # Scale: where the JSON lines go, and how many memory samples to take over the run.
    [string] $JsonLinesPath,
    [int] $Samples = 50,
    [int] $MaxSeconds = 0
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Out-Result([hashtable] $Result) {
    # The parent reads the last line.
    ($Result | ConvertTo-Json -Depth 6 -Compress) | Write-Output
}

# The proxies flush their logs every 100 ms: wait until a log stops growing, then take its length.
function Get-SettledLength([string] $Path) {
    if (-not $Path -or -not (Test-Path $Path)) { return 0L }
    $len = -1L
    for ($i = 0; $i -lt 20; $i++) {
        Start-Sleep -Milliseconds 250
        $now = (Get-Item $Path).Length
        if ($now -eq $len) { break }
        $len = $now
    }
    return $len
}

function Read-LogRange([string] $Path, [long] $From, [long] $To) {
    if (-not $Path -or $To -le $From) { return @() }
    $fs = [IO.File]::Open($Path, 'Open', 'Read', 'ReadWrite')
    try {
        $null = $fs.Seek($From, 'Begin')
        $bytes = [byte[]]::new($To - $From)
        $read = 0
        while ($read -lt $bytes.Length) { $k = $fs.Read($bytes, $read, $bytes.Length - $read); if ($k -le 0) { break }; $read += $k }
    } finally { $fs.Dispose() }
    @([Text.Encoding]::ASCII.GetString($bytes, 0, $read) -split "`n" | Where-Object { $_ })
}

function Get-PeakWorkingSetMB {
    $p = [Diagnostics.Process]::GetCurrentProcess()
    $p.Refresh()
    [math]::Round($p.PeakWorkingSet64 / 1MB, 1)
}

function Get-WorkingSetMB {
    $p = [Diagnostics.Process]::GetCurrentProcess()
    $p.Refresh()
    [math]::Round($p.WorkingSet64 / 1MB, 1)
}

# A stub cmdlet stops in BeginProcessing with ErrorId NotImplemented; anything else is a real answer.
function Test-NotImplemented([System.Management.Automation.ErrorRecord] $ErrorRecord) {
    $ErrorRecord.FullyQualifiedErrorId -like 'NotImplemented*'
}

function Get-PresentParts($Report) {
    $parts = foreach ($name in 'Mx', 'Spf', 'Dmarc', 'Dkim', 'MtaStsRecord', 'TlsRpt', 'Bimi') {
        $p = $Report.PSObject.Properties[$name]
        if ($p -and $null -ne $p.Value) { $name }
    }
    @($parts)
}

$sw = [Diagnostics.Stopwatch]::StartNew()
Import-Module $ModulePath
$importMs = $sw.Elapsed.TotalMilliseconds
if ($Scenario -eq 'Import') {
    Out-Result @{ Scenario = 'Import'; ImportMs = [math]::Round($importMs, 1) }
    return
}

# A command still being written is a stub: no shared -DnsServer parameter, and a bare call stops with NotImplemented.
# Its measurement reports Available = false with that reason instead of a number.
function Get-StubReason([string] $Name) {
    $cmd = Get-Command $Name -Module MailSecurity -ErrorAction SilentlyContinue
    if (-not $cmd) { return "$Name is not exported by this build" }
    if ($cmd.Parameters.ContainsKey('DnsServer')) { return $null }
    try { $null = & $Name -ErrorAction Stop } catch { return $_.Exception.Message }
    return "$Name has no -DnsServer parameter"
}

$commandName = if ($Scenario -eq 'SpfSuite') { 'Test-SpfRecord' } elseif ($Scenario -eq 'Cases') { 'Resolve-HopSecurity' } else { $Command }
$stub = Get-StubReason $commandName
if ($stub) {
    Out-Result @{ Scenario = $Scenario; Command = $commandName; Available = $false; Reason = $stub }
    return
}

$common = @{ TimeoutSec = $TimeoutSec; ErrorAction = 'Stop' }
if ($DnsServer) { $common.DnsServer = $DnsServer }

# One peer-comparison case through the cmdlet that does that work: the answer in the peer's vocabulary (compared by
# Measure-Peers.ps1), its wall time, and whether it waited out a timeout (the case took at least the per-question
# timeout, or a finding says a lookup or fetch timed out).
function Invoke-PeerCase($Case) {
    $caseErrors = $null
    $t = [Diagnostics.Stopwatch]::StartNew()
    $r = $null
    switch ($Case.kind) {
        'spf' {
            # RFC 7208 §2.4: an empty MAIL FROM is checked as postmaster@<HELO name>.
            if ($Case.mailfrom) { $d = $Case.mailfrom.Substring($Case.mailfrom.LastIndexOf('@') + 1); $sender = $Case.mailfrom }
            else { $d = $Case.helo; $sender = "postmaster@$($Case.helo)" }
            $r = Test-SpfRecord -Domain $d -IPAddress $Case.host -Sender $sender -HeloName $Case.helo -DnsServer "$($Case.server):$($Case.port)" -TimeoutSec $TimeoutSec -ErrorAction SilentlyContinue -ErrorVariable caseErrors
            $answer = if ($r) { $r.Result.ToString().ToLowerInvariant() } else { $null }
            $detail = if ($r) { [string]$r.Explanation } else { '' }
        }
        'mtasts' {
            $r = Get-MtaStsPolicy -Domain $Case.domain -DnsServer "$($Case.server):$($Case.port)" -TimeoutSec $TimeoutSec -SkipMxCheck -ErrorAction SilentlyContinue -ErrorVariable caseErrors
            $answer = if (-not $r) { $null }
                      elseif ($r.Status -in 'Valid', 'ModeNone') { '{0} mx={1}' -f $r.Mode.ToString().ToLowerInvariant(), (@($r.MxPatterns | Sort-Object) -join ',') }
                      elseif ($r.Status -eq 'NoRecord') { 'no-policy' }
                      else { 'error' }
            # No policy applies after any error; which error is the detail (the two tools name them differently).
            $detail = if ($r) { '{0}: {1}' -f $r.Status, (@($r.Findings | ForEach-Object Code) -join ' ') } else { '' }
        }
        'message' {
            $r = Resolve-HopSecurity -Path $Case.path -DnsServer "$($Case.server):$($Case.port)" -TimeoutSec $TimeoutSec -ErrorAction SilentlyContinue -ErrorVariable caseErrors
            $auth = if ($r) { $r.Authentication } else { $null }
            $answer = if (-not $auth) { $null } else {
                $sigs = @($auth.DkimSignatures | ForEach-Object { '{0}/{1}:{2}' -f $_.Domain, $_.Selector, $_.Result.ToString().ToLowerInvariant() })
                $arc = if ($auth.Arc) { $auth.Arc.Result.ToString().ToLowerInvariant() } else { 'none' }
                'dkim={0} arc={1}' -f $(if ($sigs.Count) { $sigs -join ',' } else { 'none' }), $arc
            }
            $detail = if ($auth) { (@($auth.DkimSignatures | ForEach-Object Reason) + @(if ($auth.Arc) { $auth.Arc.Reason })) -join '; ' } else { '' }
        }
        'starttls' {
            $r = Test-SmtpStartTls -HostName $Case.host -DnsServer "$($Case.server):$($Case.port)" -TimeoutSec $TimeoutSec -ErrorAction SilentlyContinue -ErrorVariable caseErrors | Select-Object -First 1
            $answer = if ($r) { Get-StartTlsCategory -Tls $r.TlsEstablished -Chain $r.PkixValid -Name $r.HostNameMatches } else { $null }
            $detail = if ($r) { '{0} {1}' -f $r.Outcome, $r.TlsProtocol } else { '' }
        }
        'dane' {
            # posttls-finger reports the first address that answers; every address of these hosts has the same verdict.
            $r = Test-DaneTlsa -HostName $Case.host -DnsServer "$($Case.server):$($Case.port)" -TimeoutSec $TimeoutSec -ErrorAction SilentlyContinue -ErrorVariable caseErrors | Select-Object -First 1
            $answer = if ($r) { Get-DaneCategory ([string]$r.Verdict) } else { $null }
            $detail = if ($r) { [string]$r.Verdict } else { '' }
        }
        default { throw "Unknown case kind '$($Case.kind)'." }
    }
    $ms = $t.Elapsed.TotalMilliseconds
    if ($null -eq $answer) { $answer = 'error:' + $(if ($caseErrors) { ($caseErrors[0].FullyQualifiedErrorId -split ',')[0] } else { 'NoResult' }) }
    $codes = if ($r -and $r.PSObject.Properties['Findings']) { @($r.Findings | ForEach-Object Code) } else { @() }
    $timedOut = $ms -ge $TimeoutSec * 1000 -or [bool]($codes -match 'Timeout') -or [bool]($caseErrors | Where-Object { $_.FullyQualifiedErrorId -match 'Timeout' })
    [ordered]@{ id = $Case.id; answer = $answer; ms = [math]::Round($ms, 2); timedOut = $timedOut; detail = $detail }
}

switch ($Scenario) {
    'Latency' {
        try {
            if ($WarmupDomain) { $null = & $Command -Domain $WarmupDomain @common }
        } catch {
            if (Test-NotImplemented $_) { Out-Result @{ Scenario = 'Latency'; Command = $Command; Available = $false; Reason = $_.Exception.Message }; return }
            throw
        }
        $times = [Collections.Generic.List[double]]::new()
        $last = $null
        for ($i = 0; $i -lt $Repetitions; $i++) {
            $t = [Diagnostics.Stopwatch]::StartNew()
            $last = @(& $Command -Domain $Domain @common)
            $times.Add([math]::Round($t.Elapsed.TotalMilliseconds, 2))
        }
        $parts = if ($Command -eq 'Get-MailAuthRecords' -and $last.Count -gt 0) { Get-PresentParts $last[0] } else { @() }
        Out-Result @{ Scenario = 'Latency'; Command = $Command; Available = $true; Domain = $Domain; WallMs = @($times); Parts = $parts; Results = $last.Count }
    }
    'Bulk' {
        $args2 = @{ TimeoutSec = $TimeoutSec; ErrorAction = 'SilentlyContinue'; ErrorVariable = '+bulkErrors' }
        if ($DnsServer) { $args2.DnsServer = $DnsServer }
        if ($ThrottleLimit -gt 0) { $args2.ThrottleLimit = $ThrottleLimit }
        if ($DnssecValidation) { $args2.DnssecValidation = $DnssecValidation }
        if ($TrustAnchorPath) { $args2.TrustAnchorPath = $TrustAnchorPath }
        # Availability first, on one name, so a stub does not count as 'fast'.
        try {
            $null = & $Command -Domain ('d{0:d5}.{1}' -f 0, $BulkZone) @common
        } catch {
            if (Test-NotImplemented $_) { Out-Result @{ Scenario = 'Bulk'; Command = $Command; Available = $false; Reason = $_.Exception.Message }; return }
            throw
        }
        if ($WarmUp) {
            & { for ($i = 0; $i -lt $Count; $i++) { 'd{0:d5}.{1}' -f $i, $BulkZone } } |
                & $Command @args2 | Out-Null
        }
        # The cmdlet's own default -ThrottleLimit (read from a fresh instance, not assumed).
        $instance = New-Object ((Get-Command $Command).ImplementingType)
        $defaultThrottle = if ($instance.PSObject.Properties['ThrottleLimit']) { $instance.ThrottleLimit } else { $null }
        $heapBefore = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1)
        $wsBefore = Get-WorkingSetMB
        $bulkErrors = [Collections.ArrayList]::new()
        $results = 0
        $parts = @()
        $zone = $BulkZone
        # Live managed heap (after a full collection) once, when 90% of the results are out: what the run holds on to
        # while it works (caches, queues), without the garbage that peak working set also counts.
        $gcAt = [math]::Max(1, [int]($Count * 0.9))
        $liveMB = $null
        # And once at 40%: from there to 90% the input grows 2.25x, which a bounded run cache must not follow.
        $gcEarlyAt = [math]::Max(1, [int]($Count * 0.4))
        $liveEarlyMB = $null
        $q0 = Get-SettledLength $QueryLog; $c0 = Get-SettledLength $TcpLog
        $t = [Diagnostics.Stopwatch]::StartNew()
        # Names are generated as they are consumed: the input is a stream, never an array in memory.
        & { for ($i = 0; $i -lt $Count; $i++) { 'd{0:d5}.{1}' -f $i, $zone } } |
            & $Command @args2 |
            ForEach-Object {
                if ($results -eq 0 -and $Command -eq 'Get-MailAuthRecords') { $parts = Get-PresentParts $_ }
                $results++
                if ($HeapSnapshots -and $results -eq $gcEarlyAt) { $liveEarlyMB = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1) }
                if ($HeapSnapshots -and $results -eq $gcAt) { $liveMB = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1) }
            }
        $elapsed = $t.Elapsed.TotalSeconds
        $queries = @(Read-LogRange $QueryLog $q0 (Get-SettledLength $QueryLog))
        $tcp = @(Read-LogRange $TcpLog $c0 (Get-SettledLength $TcpLog))
        $passSeconds = @([math]::Round($elapsed, 3))
        $passResults = @($results)
        for ($pass = 1; $pass -lt $Passes; $pass++) {
            $n = 0
            $t = [Diagnostics.Stopwatch]::StartNew()
            & { for ($i = 0; $i -lt $Count; $i++) { 'd{0:d5}.{1}' -f $i, $zone } } | & $Command @args2 | ForEach-Object { $n++ }
            $passSeconds += [math]::Round($t.Elapsed.TotalSeconds, 3)
            $passResults += $n
        }
        $elapsed = @($passSeconds | Sort-Object)[[int][math]::Floor(($passSeconds.Count - 1) / 2)]
        $peak = Get-PeakWorkingSetMB
        # "name type [cd]": the CD-bit re-ask of a SERVFAIL is a query sent but not a new question.
        $questionSet = @($queries | ForEach-Object { ($_ -split ' ')[0..1] -join ' ' } | Sort-Object -Unique)
        $distinct = $questionSet.Count
        if ($QuestionsOut) { Set-Content -Path $QuestionsOut -Value $questionSet -Encoding ascii }
        Out-Result @{
            Scenario = 'Bulk'; Command = $Command; Available = $true; Count = $Count; ThrottleLimit = $ThrottleLimit
            Seconds = [math]::Round($elapsed, 3); PassSeconds = $passSeconds; PassResults = $passResults; Results = $results; Errors = $bulkErrors.Count
            ErrorIds = @($bulkErrors | Group-Object FullyQualifiedErrorId | ForEach-Object { '{0} x{1}' -f $_.Name, $_.Count })
            WorkingSetAfterImportMB = $wsBefore; PeakWorkingSetMB = $peak; Parts = $parts; DefaultThrottleLimit = $defaultThrottle
            DnsQueriesSent = $queries.Count; DnsDistinctQuestions = $distinct; DnsTcpConnections = $tcp.Count
            DsQueriesSent = @($queries | Where-Object { ($_ -split ' ')[1] -eq 'DS' }).Count
            DnskeyQueriesSent = @($queries | Where-Object { ($_ -split ' ')[1] -eq 'DNSKEY' }).Count
            DnssecQuestions = @($questionSet | Where-Object { ($_ -split ' ')[1] -in 'DS', 'DNSKEY' })
            DkimQueriesSent = @($queries | Where-Object { ($_ -split ' ')[0] -match '(^|\.)_domainkey\.' }).Count
            LiveManagedMBAt90Percent = $liveMB; LiveManagedMBAt40Percent = $liveEarlyMB; ManagedMBAfterImport = $heapBefore
        }
    }
    'Probe' {
        try {
            $null = & $Command -HostName $HostName @common
        } catch {
            if (Test-NotImplemented $_) { Out-Result @{ Scenario = 'Probe'; Command = $Command; Available = $false; Reason = $_.Exception.Message }; return }
            throw
        }
        $t = [Diagnostics.Stopwatch]::StartNew()
        $last = $null
        for ($i = 0; $i -lt $Repetitions; $i++) { $last = @(& $Command -HostName $HostName @common) }
        Out-Result @{ Scenario = 'Probe'; Command = $Command; Available = $true; Seconds = [math]::Round($t.Elapsed.TotalSeconds, 3); Repetitions = $Repetitions; Results = $last.Count }
    }
    'SpfSuite' {
        $cases = @(Get-Content $CasesPath | Where-Object { $_ } | ConvertFrom-Json)
        $first = $cases[0]
        try {
            $null = Test-SpfRecord -Domain $first.helo -IPAddress $first.host -HeloName $first.helo -DnsServer "$($first.server):$($first.port)" -TimeoutSec 1 -ErrorAction Stop
        } catch {
            if (Test-NotImplemented $_) { Out-Result @{ Scenario = 'SpfSuite'; Command = 'Test-SpfRecord'; Available = $false; Reason = $_.Exception.Message }; return }
        }
        $t = [Diagnostics.Stopwatch]::StartNew()
        $answered = 0
        foreach ($c in $cases) {
            # RFC 7208 §2.4: an empty MAIL FROM is checked as postmaster@<HELO name>.
            if ($c.mailfrom) { $d = $c.mailfrom.Substring($c.mailfrom.LastIndexOf('@') + 1); $sender = $c.mailfrom }
            else { $d = $c.helo; $sender = "postmaster@$($c.helo)" }
            $r = Test-SpfRecord -Domain $d -IPAddress $c.host -Sender $sender -HeloName $c.helo -DnsServer "$($c.server):$($c.port)" -TimeoutSec 1 -ErrorAction SilentlyContinue
            if ($r) { $answered++ }
        }
        Out-Result @{ Scenario = 'SpfSuite'; Command = 'Test-SpfRecord'; Available = $true; Seconds = [math]::Round($t.Elapsed.TotalSeconds, 3); Cases = $cases.Count; Answered = $answered }
    }
    'Scale' {
        $args2 = @{ TimeoutSec = $TimeoutSec; ErrorAction = 'SilentlyContinue'; ErrorVariable = '+scaleErrors' }
        if ($DnsServer) { $args2.DnsServer = $DnsServer }
        if ($ThrottleLimit -gt 0) { $args2.ThrottleLimit = $ThrottleLimit }
        $scaleErrors = [Collections.ArrayList]::new()
        $heapAfterImport = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1)
        $wsAfterImport = Get-WorkingSetMB
        $sampleEvery = [math]::Max(1, [int]($Count / $Samples))
        $memorySamples = [Collections.Generic.List[object]]::new()
        $domains = 0; $lines = 0
        $writer = [IO.StreamWriter]::new($JsonLinesPath, $false, [Text.UTF8Encoding]::new($false))
        $cpu0 = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds
        $t = [Diagnostics.Stopwatch]::StartNew()
        try {
            # Names are generated as they are consumed and every result is written out at once: nothing per domain
            # is kept here. The flat columns of the result (what Export-Csv writes) plus the finding codes, one
            # object per line: shards merge by concatenation (tests/bench/README.md, "5. Scale").
            $last = $null
            # -MaxSeconds: no new name is started after the budget (the run then reports how many it did).
            & { for ($i = 0; $i -lt $Count -and ($MaxSeconds -le 0 -or $t.Elapsed.TotalSeconds -lt $MaxSeconds); $i++) { 'd{0:d5}.{1}' -f $i, $BulkZone } } |
                & Resolve-HopSecurity @args2 |
                ForEach-Object {
                    $writer.WriteLine(([ordered]@{
                                Domain = $_.Domain; MxHost = $_.MxHost; Preference = $_.Preference; Level = [string]$_.Level
                                Encrypted = $_.Encrypted; Authenticated = $_.Authenticated; DowngradeResistant = $_.DowngradeResistant
                                RequireTlsReady = $_.RequireTlsReady; DeliveryRisks = @($_.DeliveryRisks | ForEach-Object Code)
                                Findings = @($_.Findings | ForEach-Object Code)
                            } | ConvertTo-Json -Compress -Depth 2))
                    $lines++
                    if ($_.Domain -ne $last) {
                        $last = $_.Domain; $domains++
                        if ($domains % $sampleEvery -eq 0) {
                            $memorySamples.Add([ordered]@{ Domains = $domains; Seconds = [math]::Round($t.Elapsed.TotalSeconds, 1); WorkingSetMB = Get-WorkingSetMB; ManagedMB = [math]::Round([GC]::GetTotalMemory($false) / 1MB, 1) })
                        }
                    }
                }
        } finally { $writer.Dispose() }
        $elapsed = $t.Elapsed.TotalSeconds
        $cpu = [Diagnostics.Process]::GetCurrentProcess().TotalProcessorTime.TotalSeconds - $cpu0
        Out-Result @{
            CpuSeconds = [math]::Round($cpu, 1)
            Scenario = 'Scale'; Command = 'Resolve-HopSecurity'; Available = $true; Count = $Count; ThrottleLimit = $ThrottleLimit
            Seconds = [math]::Round($elapsed, 1); Domains = $domains; Lines = $lines; Errors = $scaleErrors.Count
            ErrorIds = @($scaleErrors | Group-Object FullyQualifiedErrorId | ForEach-Object { '{0} x{1}' -f $_.Name, $_.Count })
            WorkingSetAfterImportMB = $wsAfterImport; ManagedMBAfterImport = $heapAfterImport; PeakWorkingSetMB = Get-PeakWorkingSetMB
            JsonLinesBytes = (Get-Item $JsonLinesPath).Length; Samples = $memorySamples
        }
    }
    'Cases' {
        Import-Module (Join-Path $PSScriptRoot '../peer/PosttlsFinger.psm1')
        $cases = @(Get-Content $CasesPath | Where-Object { $_ } | ConvertFrom-Json)
        if ($WarmUp) { foreach ($c in $cases) { $null = Invoke-PeerCase $c } }
        $t = [Diagnostics.Stopwatch]::StartNew()
        $answers = @(foreach ($c in $cases) { Invoke-PeerCase $c })
        Out-Result @{ Scenario = 'Cases'; Available = $true; Seconds = [math]::Round($t.Elapsed.TotalSeconds, 3); Cases = $answers }
    }
}
