# Loads the build that matches the running edition: Core (net8.0, PowerShell 7.4+) or Desktop
# (netstandard2.0, Windows PowerShell 5.1). MAILSECURITY_EDITION=Desktop forces the netstandard2.0
# build on PowerShell 7; the test suite uses it so that code path runs on Linux too.
$edition = if ($env:MAILSECURITY_EDITION -in 'Core', 'Desktop') { $env:MAILSECURITY_EDITION }
           elseif ($PSEdition -eq 'Core') { 'Core' }
           else { 'Desktop' }
$assembly = Join-Path -Path $PSScriptRoot -ChildPath "$edition/MailSecurity.PowerShell.dll"
$module = Import-Module -Name $assembly -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet ([string[]] @($module.ExportedCmdlets.Keys))
