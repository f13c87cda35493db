# Manifest template. build.ps1 stamps ModuleVersion from Directory.Build.props and writes
# out/MailSecurity/MailSecurity.psd1; do not edit the version here.
@{
    # The build of the running edition: Core (net8.0, PowerShell 7.4+) or Desktop (netstandard2.0, Windows PowerShell
    # 5.1). $PSEdition is one of the variables a manifest may read (PowerShell 5.1+). A binary root module, not a
    # script that picks one: the script module cost about as much CPU as loading the assembly itself (issue 16).
    RootModule           = if ($PSEdition -eq 'Core') { 'Core/MailSecurity.PowerShell.dll' } else { 'Desktop/MailSecurity.PowerShell.dll' }
    ModuleVersion        = '0.0.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '3f6b7f0e-6a8f-4d55-9d1c-6c2b8e0f9a41'
    Author               = 'MailSecurity contributors'
    CompanyName          = 'MailSecurity'
    Copyright            = '(c) MailSecurity contributors. MIT License.'
    Description          = 'Audits mail infrastructure hop by hop: STARTTLS, MTA-STS and DANE on each MX, SPF, DKIM, DMARC, TLS-RPT and BIMI records, and the hop-by-hop protection of a message from its headers.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('MailSecurity.Format.ps1xml')
    TypesToProcess       = @('MailSecurity.Types.ps1xml')
    FunctionsToExport    = @()
    CmdletsToExport      = @(
        'Get-MailAuthRecords'
        'Test-SpfRecord'
        'Test-SmtpStartTls'
        'Get-MtaStsPolicy'
        'Test-DaneTlsa'
        'Resolve-HopSecurity'
        'ConvertTo-MailSecurityReport'
        'Compare-MailSecurityResult'
    )
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Mail', 'SMTP', 'STARTTLS', 'MTA-STS', 'DANE', 'DNSSEC', 'SPF', 'DKIM', 'DMARC', 'TLSRPT', 'BIMI', 'Exchange', 'Security', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
