<#
.SYNOPSIS
    The README's main job on a machine without internet: audits every lab domain through the lab's validating
    resolver and prints the result as tables.
#>
param([Parameter(Mandatory)] [string] $ModulePath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$labDir = & bash (Join-Path $PSScriptRoot 'lab.sh') dir
$lab = Get-Content -Raw (Join-Path $labDir 'lab.env.json') | ConvertFrom-Json
$domains = Get-ChildItem (Join-Path $PSScriptRoot 'zones') -Filter '*.test.zone' | ForEach-Object { $_.Name -replace '\.zone$' } | Sort-Object
Write-Output "MailSecurity demo: $($domains.Count) lab domains through the validating resolver $($lab.Resolver)"
if (Get-Command Resolve-HopSecurity -ErrorAction SilentlyContinue | Where-Object { $_.ImplementingType.Name -notmatch 'Stub' } | Where-Object { -not (Get-Help Resolve-HopSecurity).Synopsis.StartsWith('Not implemented') }) {
    $domains | Resolve-HopSecurity -DnsServer $lab.Resolver -ErrorAction Continue | Format-Table -AutoSize | Out-String -Width 200
}
$domains | Get-MailAuthRecords -DnsServer $lab.Resolver -ErrorAction Continue | Format-Table -AutoSize | Out-String -Width 200
