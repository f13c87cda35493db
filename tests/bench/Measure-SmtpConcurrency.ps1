<#
.SYNOPSIS
    Probes the lab's 50 slow SMTP peers at once and compares the wall time with the slowest single host.
.DESCRIPTION
    Each peer of tests/lab/smtp/peers.list (slow-01 .. slow-50.peer.smtp.test, the MX hosts of many.smtp.test) waits
    one second before its banner. Probed one after another they would take the sum of their times (about 50 s);
    probed concurrently the run should take about as long as the slowest host. The script measures:
      - the slowest single host, probed alone (best of -Repeat runs);
      - the whole domain (50 MX hosts) in one Test-SmtpStartTls -Domain call;
      - the same 50 hosts given as -HostName inputs;
    and prints the ratios, plus the peers' own maximum of simultaneous connections (status port $Net.26.99:8025).
    With -MaxRatio the script exits 1 when a concurrent run takes longer than that many times the slowest host. The first
    run after a lab start also pays for the validating resolver's cold cache (100 address lookups), so run it twice.
.EXAMPLE
    MAILSECURITY_LAB_NET=127.2 dotnet pwsh tests/bench/Measure-SmtpConcurrency.ps1 -ModulePath out/MailSecurity/MailSecurity.psd1 -MaxRatio 3
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/MailSecurity/MailSecurity.psd1'),
    [int] $Repeat = 3,
    [double] $MaxRatio = 0
)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $PSScriptRoot '../Pester/LabSupport.psm1') -Force
$lab = Get-LabEnvironment
if (-not $lab) { throw 'The lab is not running (tests/lab/lab.sh start).' }
Import-Module $ModulePath -Force

$hosts = 1..50 | ForEach-Object { 'slow-{0:00}.peer.smtp.test' -f $_ }
# Warm the module, the DNS path and the JIT so the single-host figure is not a cold start.
$null = Test-SmtpStartTls -HostName $hosts[0] -DnsServer $lab.Resolver

$single = [double]::MaxValue
$singleProbe = $null
foreach ($i in 1..$Repeat) {
    $t = Measure-Command { $script:singleProbe = Test-SmtpStartTls -HostName $hosts[0] -DnsServer $lab.Resolver }
    $single = [math]::Min($single, $t.TotalSeconds)
}

$null = Send-LabPeerStatus 'RESET'
$domainTime = Measure-Command { $script:domainProbes = Test-SmtpStartTls -Domain many.smtp.test -DnsServer $lab.Resolver -ThrottleLimit 64 }
$domainPeers = (Send-LabPeerStatus 'GET').slow
$null = Send-LabPeerStatus 'RESET'
$hostTime = Measure-Command { $script:hostProbes = Test-SmtpStartTls -HostName $hosts -DnsServer $lab.Resolver -ThrottleLimit 64 }
$hostPeers = (Send-LabPeerStatus 'GET').slow

$sum = ($domainProbes | Measure-Object -Property { $_.TotalMilliseconds / 1000 } -Sum).Sum
$result = [pscustomobject]@{
    Hosts                  = @($domainProbes).Count
    SlowestSingleHostSec   = [math]::Round($single, 2)
    SumOfProbeTimesSec     = [math]::Round($sum, 2)
    DomainWallSec          = [math]::Round($domainTime.TotalSeconds, 2)
    DomainRatio            = [math]::Round($domainTime.TotalSeconds / $single, 2)
    DomainMaxConcurrent    = $domainPeers.max
    HostListWallSec        = [math]::Round($hostTime.TotalSeconds, 2)
    HostListRatio          = [math]::Round($hostTime.TotalSeconds / $single, 2)
    HostListMaxConcurrent  = $hostPeers.max
    Outcomes               = ($domainProbes + $hostProbes | Group-Object Outcome | ForEach-Object { '{0}={1}' -f $_.Name, $_.Count }) -join ', '
}
$result | Format-List | Out-String | Write-Output
Write-Output ('50 slow hosts took {0:0.00} s (one -Domain call) and {1:0.00} s (50 -HostName inputs); one host alone {2:0.00} s; one after another would be about {3:0.0} s.' -f $result.DomainWallSec, $result.HostListWallSec, $result.SlowestSingleHostSec, $result.SumOfProbeTimesSec)
if ($MaxRatio -gt 0 -and ($result.DomainRatio -gt $MaxRatio -or $result.HostListRatio -gt $MaxRatio)) {
    Write-Error "A concurrent run took more than $MaxRatio times the slowest single host."
    exit 1
}
