<#
.SYNOPSIS
    The README's main job on a machine without internet: Resolve-HopSecurity for every lab domain through the lab's
    validating resolver, printed as a table (one row per MX host), then the domains' authentication records.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module (Resolve-Path $ModulePath).Path
$labDir = & bash (Join-Path $PSScriptRoot 'lab.sh') dir
$lab = Get-Content -Raw (Join-Path $labDir 'lab.env.json') | ConvertFrom-Json
# PKIX checks trust the lab's root CA through SSL_CERT_FILE (never the system store); .NET reads it at start-up, so
# build.ps1 -Task Demo sets it before it starts this script.
if ($env:SSL_CERT_FILE -ne $lab.TrustBundle) { Write-Warning "SSL_CERT_FILE is not the lab's trust bundle ($($lab.TrustBundle)): lab certificates will count as untrusted." }
# Every lab zone is a mail domain; hop.test holds several domains as names inside one zone.
$domains = @(Get-ChildItem (Join-Path $PSScriptRoot 'zones') -Filter '*.test.zone' |
    Where-Object { $_.Name -notin 'hop.test.zone', 'sts-ref.test.zone' } | ForEach-Object { $_.Name -replace '\.zone$' })
$domains += @(Get-Content (Join-Path $PSScriptRoot 'zones/hop.test.zone') | Where-Object { $_ -match '^([a-z0-9-]+)\s+IN MX' } |
    ForEach-Object { "$($Matches[1]).hop.test" } | Select-Object -Unique)
$domains = $domains | Sort-Object -Unique
"MailSecurity demo: Resolve-HopSecurity for $($domains.Count) lab domains through the validating resolver $($lab.Resolver)"
$hops = $domains | Resolve-HopSecurity -DnsServer $lab.Resolver -TimeoutSec 5 -ErrorAction SilentlyContinue
$hops | Format-Table Domain, MxHost, Preference, Level, Encrypted, Authenticated, DowngradeResistant, DeliveryRiskCodes -AutoSize | Out-String -Width 220
'Levels reached:'
$hops | Group-Object Level | Sort-Object { [int][MailSecurity.HopSecurityLevel]$_.Name } | Format-Table Count, Name -AutoSize | Out-String -Width 120
# The same results as one HTML page (ConvertTo-MailSecurityReport), next to the module folder.
$report = Join-Path (Split-Path (Split-Path (Resolve-Path $ModulePath).Path)) 'lab-report.html'
$hops | ConvertTo-MailSecurityReport -Title 'MailSecurity lab demo' | Set-Content -Path $report -Encoding utf8
"HTML report of these results: $report"
