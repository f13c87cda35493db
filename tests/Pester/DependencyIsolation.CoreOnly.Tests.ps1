# Dependency isolation: the module keeps working after another MailKit and DnsClient were loaded into the session.
# Core pass only (the file name says so: Invoke-PesterSuite.ps1 does not load *.CoreOnly.Tests.ps1 in the Desktop pass).
# The proof needs real isolation: the Core build's private AssemblyLoadContext, or Windows PowerShell 5.1's side-by-side
# binding on .NET Framework. The netstandard2.0 build running on .NET 10 (the Desktop pass here) has neither, so this
# test has no meaningful Desktop variant on this machine.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
}

Describe 'Dependency isolation' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It 'works after another MailKit and DnsClient version were loaded into the session' {
        $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
        $mailkit = Join-Path $packages 'mailkit/4.0.0/lib/net6.0/MailKit.dll'
        $dnsclient = Join-Path $packages 'dnsclient/1.6.1/lib/net5.0/DnsClient.dll'
        $mailkit | Should -Exist
        $dnsclient | Should -Exist
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$mailkit'
Add-Type -Path '$dnsclient'
Import-Module '$($env:MAILSECURITY_MODULE)'
`$r = Get-MailAuthRecords -Domain secure.test -DnsServer $($Lab.Resolver)
# Test-SmtpStartTls runs MailKit/MimeKit: our 4.18 copy, while the session's MailKit is 4.0.0.
`$p = Test-SmtpStartTls -HostName valid.mx.smtp.test -DnsServer $($Lab.Resolver)
[pscustomobject]@{
    Status = [string] `$r.Mx.Status
    Probe = [string] `$p.Outcome
    LoadedMailKit = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'MailKit' } | ForEach-Object { `$_.GetName().Version.ToString() })
    SessionDnsClient = [DnsClient.LookupClient].Assembly.GetName().Version.ToString()
    SessionMailKit = [MailKit.Net.Smtp.SmtpClient].Assembly.GetName().Version.ToString()
    Loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'DnsClient' } | ForEach-Object { `$_.GetName().Version.ToString() })
} | ConvertTo-Json -Compress
"@
        $out = & dotnet pwsh -NoProfile -NonInteractive -Command $script 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $o = ($out | Select-Object -Last 1) | ConvertFrom-Json
        $o.Status | Should -Be 'Found'
        $o.Probe | Should -Be 'Success'
        $o.LoadedMailKit | Should -Contain '4.0.0.0'
        @($o.LoadedMailKit | Where-Object { $_ -like '4.18.*' }).Count | Should -Be 1
        $o.SessionDnsClient | Should -BeLike '1.6.1*'
        $o.SessionMailKit | Should -BeLike '4.0.0*'
        # Both versions live side by side: the session's and MailSecurity's private one.
        $o.Loaded | Should -Contain '1.6.1.0'
        $o.Loaded | Should -Contain '1.8.0.0'
    }
}
