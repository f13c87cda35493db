# Shared by the *.Tests.ps1 files: where the lab is and whether lab tests run, are skipped, or must fail.
function Get-LabEnvironment {
    $net = if ($env:MAILSECURITY_LAB_NET) { $env:MAILSECURITY_LAB_NET } else { '127.0' }
    $leaf = if ($net -eq '127.0') { 'mailsecurity-lab' } else { "mailsecurity-lab-$net" }
    $dir = if ($env:MAILSECURITY_LAB_DIR) { $env:MAILSECURITY_LAB_DIR } else { Join-Path ([IO.Path]::GetTempPath()) $leaf }
    $file = Join-Path $dir 'lab.env.json'
    if (Test-Path $file) { Get-Content -Raw $file | ConvertFrom-Json } else { $null }
}

function Test-LabAvailable {
    if ($env:MAILSECURITY_LAB -eq '0') { return $false }
    $lab = Get-LabEnvironment
    if (-not $lab) { return $false }
    # A cheap liveness probe: the validating resolver answers for test. within two seconds.
    try {
        $udp = [Net.Sockets.UdpClient]::new()
        $udp.Client.ReceiveTimeout = 2000
        $udp.Connect($lab.Resolver, 53)
        [byte[]] $q = 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 4, 0x74, 0x65, 0x73, 0x74, 0, 0, 6, 0, 1
        $null = $udp.Send($q, $q.Length)
        $ep = [Net.IPEndPoint]::new([Net.IPAddress]::Any, 0)
        $null = $udp.Receive([ref] $ep)
        return $true
    } catch {
        return $false
    } finally {
        if ($udp) { $udp.Dispose() }
    }
}

# Lab-dependent Describe blocks use: -Skip:(Get-LabSkip). In CI the lab is required: instead of skipping,
# Assert-LabAvailable (in BeforeAll) fails every test of the block with a clear reason.
function Get-LabSkip {
    if ($env:MAILSECURITY_REQUIRE_LAB -eq '1') { return $false }
    return -not (Test-LabAvailable)
}

function Assert-LabAvailable {
    if (-not (Test-LabAvailable)) {
        throw 'The lab is not running (tests/lab/lab.sh start, as root). It is required in CI.'
    }
}

# The test peers' status port ($Net.26.99:8025, tests/lab/smtp/peers.list): GET reads the connection counters of the
# smtp-server peers (current, max, total per counter name), RESET reads and zeroes them.
function Send-LabPeerStatus {
    param([ValidateSet('GET', 'RESET')] [string] $Command = 'GET')
    $lab = Get-LabEnvironment
    $client = [Net.Sockets.TcpClient]::new()
    try {
        $client.Connect("$($lab.Net).26.99", 8025)
        $stream = $client.GetStream()
        $bytes = [Text.Encoding]::ASCII.GetBytes("$Command`n")
        $stream.Write($bytes, 0, $bytes.Length)
        [IO.StreamReader]::new($stream).ReadLine() | ConvertFrom-Json
    } finally { $client.Dispose() }
}

# Every mail domain of the lab, read from the zone files (tests/lab/zones): each zone's apex, every owner of an MX record,
# and missing.test (a name that does not exist). Domains that reach an address outside 127.0.0.0/8 through their MX (an IP
# address as MX target, or a host whose A/AAAA record is not a lab address) are left out: tests stay on loopback.
function Get-LabMailDomains {
    $zoneDir = Join-Path $PSScriptRoot '../lab/zones'
    $addresses = @{}
    $aliases = @{}
    $mx = [ordered]@{}
    foreach ($zone in Get-ChildItem $zoneDir -Filter *.zone | Sort-Object Name) {
        $apex = $zone.BaseName
        if (-not $mx.Contains($apex)) { $mx[$apex] = @() }
        foreach ($line in Get-Content $zone.FullName) {
            if ($line -notmatch '^([^;\s]\S*)\s+(?:\d+\s+)?IN\s+(A|AAAA|MX|CNAME)\s+(\S+(?:\s+\S+)?)') { continue }
            $owner, $type, $data = $Matches[1], $Matches[2], $Matches[3]
            $name = if ($owner -eq '@') { $apex } elseif ($owner.EndsWith('.')) { $owner.TrimEnd('.') } else { "$owner.$apex" }
            $absolute = { param($t) if ($t -eq '.') { '' } elseif ($t.EndsWith('.')) { $t.TrimEnd('.') } elseif ($t -eq '@') { $apex } else { "$t.$apex" } }
            switch ($type) {
                'MX' { if (-not $mx.Contains($name)) { $mx[$name] = @() }; $mx[$name] += & $absolute ($data -split '\s+')[1] }
                'CNAME' { $aliases[$name] = & $absolute $data }
                default { if (-not $addresses.ContainsKey($name)) { $addresses[$name] = @() }; $addresses[$name] += $data }
            }
        }
    }
    $offLab = {
        param($target)
        if ($target -match '^[0-9.]+$' -or $target -match ':') { return $true }
        while ($aliases.ContainsKey($target)) { $target = $aliases[$target] }
        @($addresses[$target] | Where-Object { $_ -and $_ -notlike '{{NET}}*' }).Count -gt 0
    }
    $domains = foreach ($name in $mx.Keys) {
        if (-not @($mx[$name] | Where-Object { $_ -and (& $offLab $_) }).Count) { $name }
    }
    @($domains) + 'missing.test'
}

function Measure-CmdletStop {
    # Starts one cmdlet of the built module in a PowerShell instance of its own, lets it run for $RunMilliseconds, presses
    # Ctrl+C (Stop) and returns the state before and after and the time Stop took. The module is imported first, on its
    # own: stopping a batch whose Import-Module is still running (slow under load) can leave a PowerShell work item
    # touching the disposed runspace, which ends the whole test process.
    param([Parameter(Mandatory)] [string] $Command, [Parameter(Mandatory)] [hashtable] $Parameters, [int] $RunMilliseconds = 1500)
    $runspace = [runspacefactory]::CreateRunspace()
    $runspace.Open()
    $ps = [powershell]::Create()
    try {
        $ps.Runspace = $runspace
        $null = $ps.AddCommand('Import-Module').AddParameter('Name', $env:MAILSECURITY_MODULE).Invoke()
        $ps.Commands.Clear()
        $null = $ps.AddCommand($Command).AddParameters($Parameters)
        $null = $ps.BeginInvoke()
        Start-Sleep -Milliseconds $RunMilliseconds
        $before = $ps.InvocationStateInfo.State
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        $sw.Stop()
        [pscustomobject]@{ StateBefore = $before; StateAfter = $ps.InvocationStateInfo.State; StopTime = $sw.Elapsed }
    } finally {
        $ps.Dispose()
        $runspace.Dispose()
    }
}

Export-ModuleMember -Function Get-LabEnvironment, Test-LabAvailable, Get-LabSkip, Assert-LabAvailable, Send-LabPeerStatus, Get-LabMailDomains, Measure-CmdletStop
