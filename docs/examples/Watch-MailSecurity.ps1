<#
.SYNOPSIS
    Scheduled mail-security check: runs the checks, keeps each run with a date stamp, and reports what changed since the
    previous run. Exits 1 when a finding of severity Error or Critical appeared, so Task Scheduler (or any scheduler)
    records the run as failed and can alert.
.DESCRIPTION
    Each run writes, in -OutputPath:
      results-<yyyy-MM-dd_HHmmss>.xml   every result of this run (Export-Clixml; the next run compares against it)
      results-<stamp>.csv               one flat row per result (Export-Csv)
      changes-<stamp>.csv               what changed since the previous run (Compare-MailSecurityResult), when there was one
    Windows Task Scheduler, daily at 06:00:
      $action = New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument '-NoProfile -NonInteractive -File C:\MailSecurity\Watch-MailSecurity.ps1 -OutputPath C:\MailSecurity\runs'
      Register-ScheduledTask -TaskName 'MailSecurity daily' -Action $action -Trigger (New-ScheduledTaskTrigger -Daily -At 6am) -User 'NT AUTHORITY\SYSTEM'
    In an Exchange Management Shell session, leave -Domain out: the accepted domains are checked.
.EXAMPLE
    pwsh -NoProfile -File .\Watch-MailSecurity.ps1 -Domain contoso.com, fabrikam.com -OutputPath .\runs
#>
[CmdletBinding()]
param(
    # Domains to check; default: Get-AcceptedDomain (Exchange).
    [object[]] $Domain,
    # Where the runs are kept.
    [Parameter(Mandatory)] [string] $OutputPath,
    # Resolvers to use (default: the system's).
    [string[]] $DnsServer,
    # Certificates expiring within this many days are reported once.
    [int] $ExpiryWarningDays = 30
)
$ErrorActionPreference = 'Stop'
Import-Module MailSecurity -ErrorAction SilentlyContinue
if (-not (Get-Command Resolve-HopSecurity -ErrorAction SilentlyContinue)) { throw 'The MailSecurity module is not installed.' }
if (-not $Domain) { $Domain = @(Get-AcceptedDomain) }
$null = New-Item -ItemType Directory -Force -Path $OutputPath
$common = @{ ErrorAction = 'Continue' }
if ($DnsServer) { $common.DnsServer = $DnsServer }

$stamp = Get-Date -Format 'yyyy-MM-dd_HHmmss'
$previous = Get-ChildItem -Path $OutputPath -Filter 'results-*.xml' | Sort-Object Name | Select-Object -Last 1
$results = @(
    $Domain | Get-MailAuthRecords @common
    $Domain | Resolve-HopSecurity @common
    $Domain | Get-MtaStsPolicy @common
)
$results | Export-Clixml -Path (Join-Path $OutputPath "results-$stamp.xml")
$results | Select-Object Domain, MxHost, Level, Status, WorstSeverity, FindingCodes, Findings |
    Export-Csv -Path (Join-Path $OutputPath "results-$stamp.csv") -NoTypeInformation

if (-not $previous) {
    Write-Output "First run: $($results.Count) results kept in results-$stamp.xml; nothing to compare yet."
    exit 0
}

$changes = @(Compare-MailSecurityResult -Baseline $previous.FullName -DifferenceObject $results -ExpiryWarningDays $ExpiryWarningDays)
$changes | Export-Csv -Path (Join-Path $OutputPath "changes-$stamp.csv") -NoTypeInformation
$problems = @($changes | Where-Object IsNewProblem)
Write-Output ("{0} change(s) since {1}, {2} new problem(s) of severity Error or Critical." -f $changes.Count, $previous.Name, $problems.Count)
$problems | ForEach-Object { Write-Output "  $($_.ResultType) $($_.Target): $($_.Message)" }
if ($problems.Count -gt 0) { exit 1 }
exit 0
