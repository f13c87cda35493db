# The Received-field corpus (tests/corpus/received, README there) through the built module: every real line is given to
# Resolve-HopSecurity -HeaderText as a one-field header block, and the hop's fields are compared with the fields written by
# hand next to the line. Prints the agreement per family. Offline: no lab needed.
BeforeDiscovery {
    $dir = Join-Path $PSScriptRoot '../corpus/received'
    $script:Families = @(Get-ChildItem $dir -Filter '*.txt' | Sort-Object Name | ForEach-Object { @{ Family = $_.BaseName } })
}

BeforeAll {
    Import-Module $env:MAILSECURITY_MODULE -Force
    $dir = Join-Path $PSScriptRoot '../corpus/received'

    function Read-Want([string] $Text) {
        # key=value, key="value with spaces", or a bare flag (unparsed).
        $want = @{}
        foreach ($m in [regex]::Matches($Text, '(?<k>[a-z]+)(?:=(?:"(?<q>[^"]*)"|(?<v>\S+)))?')) {
            $want[$m.Groups['k'].Value] = if ($m.Groups['q'].Success) { $m.Groups['q'].Value } elseif ($m.Groups['v'].Success) { $m.Groups['v'].Value } else { '' }
        }
        $want
    }

    $script:Entries = foreach ($file in Get-ChildItem $dir -Filter '*.txt' | Sort-Object Name) {
        $line = $null
        foreach ($text in [IO.File]::ReadAllLines($file.FullName)) {
            if ($text.StartsWith('line: ')) { $line = $text.Substring(6) }
            elseif ($text.StartsWith('want: ')) { [pscustomobject]@{ Family = $file.BaseName; Line = $line; Want = Read-Want $text.Substring(6) } }
        }
    }

    # One header block per line, all through one pipeline: one MessagePath each, in input order.
    $blocks = $script:Entries | ForEach-Object { "Received: $($_.Line)`r`nSubject: corpus`r`n" }
    $script:Paths = @($blocks | Resolve-HopSecurity -SkipSignatureVerification)

    function Get-Disagreement($Entry, $Hop) {
        $auth = switch ([int] $Hop.AuthenticationEvidence) { 0 { $null } 1 { 'with' } 2 { 'comment' } default { 'with+comment' } }
        $actual = [ordered]@{
            from = $Hop.From; rdns = $Hop.FromReverseName; ip = $Hop.FromAddress; by = $Hop.By; with = $Hop.With
            tls = "$($Hop.Tls)".ToLowerInvariant(); tlsver = $Hop.TlsVersion; cipher = $Hop.Cipher
            auth = $auth; mech = $Hop.AuthenticationMethod; user = $Hop.AuthenticatedUser
        }
        foreach ($k in $actual.Keys) {
            $expected = $Entry.Want[$k]
            if ("$expected" -cne "$($actual[$k])") { "${k}: expected '$expected', got '$($actual[$k])'" }
        }
        $unparsed = @($Hop.Findings | Where-Object Code -eq 'Received.Unparsed').Count -gt 0
        if ($unparsed -ne $Entry.Want.ContainsKey('unparsed')) { "Received.Unparsed: expected $($Entry.Want.ContainsKey('unparsed')), got $unparsed" }
    }

    $script:Results = for ($i = 0; $i -lt $script:Entries.Count; $i++) {
        $e = $script:Entries[$i]
        [pscustomobject]@{ Family = $e.Family; Line = $e.Line; Problems = @(Get-Disagreement $e $script:Paths[$i].Hops[0]) }
    }
}

AfterAll {
    $table = $script:Results | Group-Object Family | Sort-Object Name | ForEach-Object {
        '{0,-18} {1,4}/{2}' -f $_.Name, @($_.Group | Where-Object { $_.Problems.Count -eq 0 }).Count, $_.Count
    }
    $agree = @($script:Results | Where-Object { $_.Problems.Count -eq 0 }).Count
    Write-Host "Received corpus, lines that agree per family:`n$($table -join "`n")`n$('{0,-18} {1,4}/{2}' -f 'all', $agree, $script:Results.Count)"
}

Describe 'Received-field corpus' {
    It 'has at least 400 real lines from at least 20 families' {
        $script:Entries.Count | Should -BeGreaterOrEqual 400
        @($script:Entries.Family | Sort-Object -Unique).Count | Should -BeGreaterOrEqual 20
        $script:Paths.Count | Should -Be $script:Entries.Count
    }

    It 'reads every <Family> line as written by hand' -ForEach $script:Families {
        $bad = @($script:Results | Where-Object { $_.Family -eq $Family -and $_.Problems.Count -gt 0 })
        $report = ($bad | ForEach-Object { "$($_.Line)`n    $($_.Problems -join "`n    ")" }) -join "`n"
        $bad.Count | Should -Be 0 -Because $report
    }
}
