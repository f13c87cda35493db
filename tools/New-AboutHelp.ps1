<#
.SYNOPSIS
    Writes en-US/about_MailSecurity.help.txt from docs/about_MailSecurity.help.txt.template and the finding catalog
    compiled into the module (MailSecurity.FindingCatalog), so the catalog in the help can never miss a code.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $TemplatePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

function Format-Wrapped([string] $text, [int] $indent, [int] $width = 110) {
    $pad = ' ' * $indent
    $lines = [System.Collections.Generic.List[string]]::new()
    $line = ''
    foreach ($word in $text -split '\s+' | Where-Object { $_ }) {
        if ($line.Length -and ($pad.Length + $line.Length + 1 + $word.Length) -gt $width) { $lines.Add($pad + $line); $line = $word }
        elseif ($line.Length) { $line += ' ' + $word }
        else { $line = $word }
    }
    if ($line.Length) { $lines.Add($pad + $line) }
    return $lines -join "`n"
}

$descriptors = [MailSecurity.FindingCatalog]::Descriptors
$sb = [System.Text.StringBuilder]::new()
foreach ($group in $descriptors | Group-Object { $_.Code.Split('.')[0] }) {
    $null = $sb.AppendLine("    $($group.Name)")
    foreach ($d in $group.Group) {
        $null = $sb.AppendLine("        $($d.Code)  [$($d.Severity)]")
        $null = $sb.AppendLine((Format-Wrapped $d.Meaning 12))
        if ($d.Reference) { $null = $sb.AppendLine((Format-Wrapped "Reference: $($d.Reference)" 12)) }
        if ($d.Remedy) { $null = $sb.AppendLine((Format-Wrapped "Fix: $($d.Remedy)" 12)) }
        $null = $sb.AppendLine()
    }
}
$text = (Get-Content -Raw $TemplatePath).Replace('{{FINDING_CATALOG}}', $sb.ToString().TrimEnd())
$dir = Split-Path $OutputPath
if ($dir) { $null = New-Item -ItemType Directory -Force $dir }
Set-Content -Path $OutputPath -Value $text -Encoding utf8NoBOM
Write-Verbose "$($descriptors.Count) finding codes written to $OutputPath"
