# Reading posttls-finger (Postfix) output as verdicts comparable with ours: shared by tests/peer/Compare-StartTls.ps1,
# tests/peer/Compare-Dane.ps1 and the bench's peer rows (tests/bench/Measure-Peers.ps1). How each Postfix wording
# maps to our verdicts is explained in the two Compare scripts' help.

# "secure" level (-l secure): TLS version, cipher (IANA name through -Iana, OpenSSL's name otherwise), chain and name.
function ConvertFrom-PosttlsFingerSecure {
    param([string[]] $Lines, [hashtable] $Iana = @{})
    $established = $Lines | Where-Object { $_ -match '(\w+) TLS connection established to .*: (TLSv[\d.]+) with cipher (\S+)' } | Select-Object -First 1
    $r = [ordered]@{ Tls = $false; Protocol = $null; Cipher = $null; Chain = $null; Name = $null; Detail = ''; Raw = $Lines }
    if ($established -and $established -match '(\w+) TLS connection established to .*: (TLSv[\d.]+) with cipher (\S+)') {
        $r.Tls = $true
        $r.Protocol = $Matches[2]
        $r.Cipher = if ($Iana.ContainsKey($Matches[3])) { $Iana[$Matches[3]] } else { $Matches[3] }
        $level = $Matches[1]
        $failure = $Lines | Where-Object { $_ -match 'verification failed for [^:]+:\d+: (.*)$' } | ForEach-Object { $Matches[1] } | Select-Object -First 1
        switch ($level) {
            'Verified' { $r.Chain = $true; $r.Name = $true }
            'Trusted' { $r.Chain = $true; $r.Name = $false }
            default {
                if ($failure -match 'hostname mismatch') { $r.Chain = $true; $r.Name = $false } else { $r.Chain = $false }
            }
        }
        $r.Detail = if ($failure) { $failure } else { $level }
    } else {
        $r.Detail = 'no TLS session'
    }
    [pscustomobject] $r
}

# One word for a STARTTLS outcome, from either side: verified, name-mismatch, untrusted-chain or no-tls.
function Get-StartTlsCategory {
    param([bool] $Tls, $Chain, $Name)
    if (-not $Tls) { 'no-tls' } elseif ($Chain -and $Name) { 'verified' } elseif ($Chain) { 'name-mismatch' } else { 'untrusted-chain' }
}

# "dane" level (-l dane -v): the DANE category of the run, the host and address it used, the matched record and depth.
function ConvertFrom-PosttlsFingerDane {
    param([string[]] $Lines)
    $out = $Lines
    $r = [ordered]@{ Category = $null; Host = $null; Address = $null; Record = $null; Depth = $null; PeerName = $null; InsecureMx = $false; Detail = ''; Raw = $out }
    $connected = $out | Where-Object { $_ -match 'Connected to ([^\[\s]+)\[([^\]]+)\]:\d+' } | Select-Object -Last 1
    if ($connected -and $connected -match 'Connected to ([^\[\s]+)\[([^\]]+)\]:\d+') { $r.Host = $Matches[1]; $r.Address = $Matches[2] }
    $established = $out | Where-Object { $_ -match '(\w+) TLS connection established to ([^\[\s]+)\[([^\]]+)\]' } | Select-Object -First 1
    $matched = $out | Where-Object { $_ -match 'Matched DANE (EE|TA) certificate at depth (\d+): (\d \d \d [0-9A-Fa-f]+)' } | Select-Object -First 1
    $failure = $out | Where-Object { $_ -match 'verification failed for [^:]+:\d+: (.*)$' } | ForEach-Object { $Matches[1] } | Select-Object -First 1
    $r.InsecureMx = [bool]($out | Where-Object { $_ -match 'MX RRset insecure' })
    $peer = $out | Where-Object { $_ -match 'matched peername: (\S+)' } | Select-Object -First 1
    if ($peer -and $peer -match 'matched peername: (\S+)') { $r.PeerName = $Matches[1] }
    if ($out | Where-Object { $_ -match 'TLSA lookup error|DANE TLSA lookup problem' }) {
        $r.Category = 'LookupFailed'; $r.Detail = 'TLSA lookup error'
    } elseif ($out | Where-Object { $_ -match 'address lookup failed|Name service error for name=\S+ type=(A|AAAA|MX)' }) {
        $r.Category = 'LookupFailed'; $r.Detail = ($out | Where-Object { $_ -match 'lookup failed' } | Select-Object -First 1) -replace '^posttls-finger: ', ''
    } elseif ($out | Where-Object { $_ -match 'no usable TLSA records found' }) {
        $r.Category = 'Unusable'; $r.Detail = 'no usable TLSA records, "secure" level'
    } elseif ($out | Where-Object { $_ -match 'no TLSA records found' }) {
        $r.Category = 'NotApplicable'; $r.Detail = 'no TLSA records, "secure" level'
    } elseif ($established -and $established -match '(\w+) TLS connection established to ([^\[\s]+)\[([^\]]+)\]') {
        $level = $Matches[1]; $r.Host = $Matches[2]; $r.Address = $Matches[3]
        if ($matched -and $level -in 'Verified', 'Trusted') {
            $null = $matched -match 'Matched DANE (EE|TA) certificate at depth (\d+): (\d \d \d [0-9A-Fa-f]+)'
            $r.Category = 'Authenticated'; $r.Depth = [int] $Matches[2]; $r.Record = $Matches[3].ToUpperInvariant()
            $r.Detail = "$level, DANE $($Matches[1]) $($r.Record.Substring(0, 5)) at depth $($r.Depth)"
        } else {
            $r.Category = 'NotAuthenticated'; $r.Detail = "$level$(if ($failure) { ": $failure" })"
        }
    } elseif ($r.Address) {
        $r.Category = 'TlsFailed'
        $r.Detail = if ($out | Where-Object { $_ -match '< 250[- ]STARTTLS' }) { 'STARTTLS offered, no TLS session' } else { 'no STARTTLS offered' }
    } else {
        $r.Category = 'ConnectFailed'; $r.Detail = 'no connection'
    }
    [pscustomobject] $r
}

# Our Test-DaneTlsa verdict in posttls-finger's categories (it does not tell NoTlsa from Insecure).
function Get-DaneCategory {
    param([string] $Verdict)
    switch ($Verdict) {
        'Valid' { 'Authenticated' }
        'NoMatch' { 'NotAuthenticated' }
        'NoTlsa' { 'NotApplicable' }
        'Insecure' { 'NotApplicable' }
        'AllRecordsUnusable' { 'Unusable' }
        default { $Verdict }
    }
}

Export-ModuleMember -Function ConvertFrom-PosttlsFingerSecure, Get-StartTlsCategory, ConvertFrom-PosttlsFingerDane, Get-DaneCategory
