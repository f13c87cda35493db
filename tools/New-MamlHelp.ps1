<#
.SYNOPSIS
    Generates the MAML help file from docs/cmdlets/*.md and the compiled cmdlet metadata.
.DESCRIPTION
    The markdown files are the one source of truth for the words (synopsis, description, parameter descriptions,
    examples, inputs, outputs, notes); parameter types, sets, positions, pipeline input and aliases come from the built
    cmdlets, so the help cannot drift from the code. A documented cmdlet whose markdown lacks a parameter, or has fewer
    than three examples, fails the build.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Split-Sections([string] $text, [string] $prefix) {
    # Returns ordered name -> body for headings of exactly this level.
    $result = [ordered]@{}
    $current = $null
    $buffer = [System.Collections.Generic.List[string]]::new()
    $inFence = $false
    foreach ($line in $text -split "`r?`n") {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith("$prefix ") -and -not $line.StartsWith("$prefix#")) {
            if ($null -ne $current) { $result[$current] = ($buffer -join "`n").Trim() }
            $current = $line.Substring($prefix.Length + 1).Trim()
            $buffer.Clear()
        } elseif ($null -ne $current) {
            $buffer.Add($line)
        }
    }
    if ($null -ne $current) { $result[$current] = ($buffer -join "`n").Trim() }
    return $result
}

function Get-Paragraphs([string] $text) {
    if ([string]::IsNullOrWhiteSpace($text)) { return @() }
    return @(($text -split "`n\s*`n") | ForEach-Object { ($_ -replace "`n", ' ').Trim() } | Where-Object { $_ })
}

function Add-Paras($xml, $parent, [string] $text) {
    $desc = $xml.CreateElement('maml', 'description', $ns.maml)
    foreach ($p in Get-Paragraphs $text) {
        $para = $xml.CreateElement('maml', 'para', $ns.maml)
        $para.InnerText = $p
        $null = $desc.AppendChild($para)
    }
    $null = $parent.AppendChild($desc)
}

function New-El($xml, [string] $prefix, [string] $name, [string] $text) {
    $e = $xml.CreateElement($prefix, $name, $ns[$prefix])
    if ($null -ne $text) { $e.InnerText = $text }
    return $e
}

$ns = @{
    msh = 'http://msh'
    maml = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters

Import-Module $ModulePath -Force
$module = Get-Module MailSecurity
$xml = [System.Xml.XmlDocument]::new()
$null = $xml.AppendChild($xml.CreateXmlDeclaration('1.0', 'utf-8', $null))
$root = $xml.CreateElement('helpItems', $ns.msh)
$root.SetAttribute('schema', 'maml')
foreach ($p in 'maml', 'command', 'dev') { $root.SetAttribute("xmlns:$p", $ns[$p]) }
$null = $xml.AppendChild($root)
$problems = [System.Collections.Generic.List[string]]::new()

foreach ($file in Get-ChildItem $DocsPath -Filter '*.md' | Sort-Object Name) {
    $text = Get-Content -Raw $file.FullName
    $name = $file.BaseName
    $cmd = Get-Command -Module MailSecurity -Name $name -CommandType Cmdlet -ErrorAction SilentlyContinue
    if (-not $cmd) { $problems.Add("$($file.Name): no cmdlet named $name"); continue }
    $top = Split-Sections $text '##'
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS') {
        if (-not $top.Contains($required) -or [string]::IsNullOrWhiteSpace($top[$required])) { $problems.Add("$($file.Name): section '## $required' is missing or empty") }
    }
    if ($problems.Count) { continue }

    $command = New-El $xml 'command' 'command' $null
    $details = New-El $xml 'command' 'details' $null
    $null = $details.AppendChild((New-El $xml 'command' 'name' $name))
    $null = $details.AppendChild((New-El $xml 'command' 'verb' $cmd.Verb))
    $null = $details.AppendChild((New-El $xml 'command' 'noun' $cmd.Noun))
    Add-Paras $xml $details $top['SYNOPSIS']
    $null = $command.AppendChild($details)
    Add-Paras $xml $command $top['DESCRIPTION']

    $paramDocs = Split-Sections $top['PARAMETERS'] '###'
    $parameters = @($cmd.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name)
    foreach ($p in $parameters) {
        if (-not $paramDocs.Contains("-$($p.Name)") -or [string]::IsNullOrWhiteSpace($paramDocs["-$($p.Name)"])) {
            $problems.Add("$($file.Name): parameter -$($p.Name) is not documented")
        }
    }
    foreach ($documented in $paramDocs.Keys) {
        if ($documented.TrimStart('-') -notin $parameters.Name) { $problems.Add("$($file.Name): documents -$documented, which the cmdlet does not have") }
    }

    $syntax = New-El $xml 'command' 'syntax' $null
    foreach ($set in $cmd.ParameterSets) {
        $item = New-El $xml 'command' 'syntaxItem' $null
        $null = $item.AppendChild((New-El $xml 'maml' 'name' $name))
        foreach ($sp in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $pe = New-El $xml 'command' 'parameter' $null
            $pe.SetAttribute('required', $sp.IsMandatory.ToString().ToLowerInvariant())
            $pe.SetAttribute('position', $(if ($sp.Position -ge 0) { [string]($sp.Position + 1) } else { 'named' }))
            $null = $pe.AppendChild((New-El $xml 'maml' 'name' $sp.Name))
            if ($sp.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                $null = $pe.AppendChild((New-El $xml 'command' 'parameterValue' $sp.ParameterType.Name))
            }
            $null = $item.AppendChild($pe)
        }
        $null = $syntax.AppendChild($item)
    }
    $null = $command.AppendChild($syntax)

    $paramsEl = New-El $xml 'command' 'parameters' $null
    foreach ($p in $parameters) {
        $attrs = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
        $pe = New-El $xml 'command' 'parameter' $null
        $pe.SetAttribute('required', [string](@($attrs | Where-Object Mandatory).Count -gt 0).ToString().ToLowerInvariant())
        $positions = @($attrs | Where-Object { $_.Position -ge 0 } | ForEach-Object { $_.Position + 1 })
        $pe.SetAttribute('position', $(if ($positions) { [string]$positions[0] } else { 'named' }))
        $byValue = @($attrs | Where-Object ValueFromPipeline).Count -gt 0
        $byName = @($attrs | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
        $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $pe.SetAttribute('pipelineInput', $pipeline)
        $pe.SetAttribute('globbing', 'false')
        $pe.SetAttribute('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
        $null = $pe.AppendChild((New-El $xml 'maml' 'name' $p.Name))
        Add-Paras $xml $pe $(if ($paramDocs.Contains("-$($p.Name)")) { $paramDocs["-$($p.Name)"] } else { '' })
        $pv = New-El $xml 'command' 'parameterValue' $p.ParameterType.Name
        $pv.SetAttribute('required', 'true')
        $null = $pe.AppendChild($pv)
        $type = New-El $xml 'dev' 'type' $null
        $null = $type.AppendChild((New-El $xml 'maml' 'name' $p.ParameterType.FullName))
        $null = $pe.AppendChild($type)
        $null = $paramsEl.AppendChild($pe)
    }
    $null = $command.AppendChild($paramsEl)

    foreach ($pair in @(@{ Section = 'INPUTS'; Outer = 'inputTypes'; Inner = 'inputType' }, @{ Section = 'OUTPUTS'; Outer = 'returnValues'; Inner = 'returnValue' })) {
        $outer = New-El $xml 'command' $pair.Outer $null
        foreach ($entry in (Split-Sections $top[$pair.Section] '###').GetEnumerator()) {
            $inner = New-El $xml 'command' $pair.Inner $null
            $type = New-El $xml 'dev' 'type' $null
            $null = $type.AppendChild((New-El $xml 'maml' 'name' $entry.Key))
            $null = $inner.AppendChild($type)
            Add-Paras $xml $inner $entry.Value
            $null = $outer.AppendChild($inner)
        }
        $null = $command.AppendChild($outer)
    }

    if ($top.Contains('NOTES')) {
        $alertSet = New-El $xml 'maml' 'alertSet' $null
        $alert = New-El $xml 'maml' 'alert' $null
        foreach ($p in Get-Paragraphs $top['NOTES']) { $null = $alert.AppendChild((New-El $xml 'maml' 'para' $p)) }
        $null = $alertSet.AppendChild($alert)
        $null = $command.AppendChild($alertSet)
    }

    $examples = Split-Sections $top['EXAMPLES'] '###'
    if ($examples.Count -lt 3) { $problems.Add("$($file.Name): needs at least three examples, has $($examples.Count)") }
    $examplesEl = New-El $xml 'command' 'examples' $null
    foreach ($ex in $examples.GetEnumerator()) {
        $exEl = New-El $xml 'command' 'example' $null
        $null = $exEl.AppendChild((New-El $xml 'maml' 'title' "-------------------------- $($ex.Key) --------------------------"))
        $code = [regex]::Match($ex.Value, '```powershell\s*\n(.*?)\n```', 'Singleline')
        if (-not $code.Success) { $problems.Add("$($file.Name): example '$($ex.Key)' has no powershell code block") }
        $null = $exEl.AppendChild((New-El $xml 'dev' 'code' (($code.Groups[1].Value -replace '(?m)^PS> ', '').Trim())))
        $rest = [regex]::Replace($ex.Value, '```powershell\s*\n.*?\n```', '', 'Singleline')
        $output = [regex]::Match($rest, '```output\s*\n(.*?)\n```', 'Singleline')
        $remarks = [regex]::Replace($rest, '```output\s*\n.*?\n```', '', 'Singleline')
        $remarksEl = New-El $xml 'dev' 'remarks' $null
        foreach ($p in Get-Paragraphs $remarks) { $null = $remarksEl.AppendChild((New-El $xml 'maml' 'para' $p)) }
        if ($output.Success) { $null = $remarksEl.AppendChild((New-El $xml 'maml' 'para' ($output.Groups[1].Value))) }
        $null = $exEl.AppendChild($remarksEl)
        $null = $examplesEl.AppendChild($exEl)
    }
    $null = $command.AppendChild($examplesEl)

    $links = New-El $xml 'command' 'relatedLinks' $null
    if ($top.Contains('RELATED LINKS')) {
        foreach ($line in $top['RELATED LINKS'] -split "`n" | Where-Object { $_ -match '\S' }) {
            $nav = New-El $xml 'maml' 'navigationLink' $null
            $null = $nav.AppendChild((New-El $xml 'maml' 'linkText' ($line -replace '^\s*[-*]\s*', '').Trim()))
            $null = $nav.AppendChild((New-El $xml 'maml' 'uri' ''))
            $null = $links.AppendChild($nav)
        }
    }
    $null = $command.AppendChild($links)
    $null = $root.AppendChild($command)
}

if ($problems.Count) {
    throw ("Help generation failed:`n  " + ($problems -join "`n  "))
}
$dir = Split-Path $OutputPath
if ($dir) { $null = New-Item -ItemType Directory -Force $dir }
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$writer = [System.Xml.XmlWriter]::Create($OutputPath, $settings)
try { $xml.Save($writer) } finally { $writer.Dispose() }
Write-Verbose "Help written to $OutputPath"
