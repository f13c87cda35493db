# Help: every exported cmdlet has complete help (synopsis, description, every parameter, inputs and outputs, at least
# three examples that parse, of the three kinds operators need); about_MailSecurity carries the complete finding catalog;
# type names resolve right after import.
BeforeDiscovery {
    Import-Module $env:MAILSECURITY_MODULE -Force
    $docs = Join-Path $PSScriptRoot '../../docs/cmdlets'
    # Every exported cmdlet is held to every rule below: no exemptions (a cmdlet without docs/cmdlets/<Name>.md fails).
    $script:Cmdlets = @((Get-Module MailSecurity).ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_; Doc = (Join-Path $docs "$_.md") } })
}

BeforeAll {
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    function Get-Text($node) { (@($node) | ForEach-Object { $_.Text }) -join ' ' }
}

Describe 'Cmdlet help' {
    It 'covers every exported cmdlet' {
        $Cmdlets.Count | Should -BeGreaterOrEqual 6
        $Cmdlets.Name | Should -Contain 'ConvertTo-MailSecurityReport'
    }

    It '<Name> has a synopsis and a description' -ForEach $Cmdlets {
        $help = Get-Help $Name -Full
        # Without help, PowerShell makes the synopsis from the syntax.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ('^\s*{0}\s' -f [regex]::Escape($Name))
        (Get-Text $help.description) | Should -Match '\w{4,}.*\.'
    }

    It '<Name> describes every parameter' -ForEach $Cmdlets {
        $help = Get-Help $Name -Full
        $documented = @($help.parameters.parameter)
        foreach ($p in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $Common }) {
            $entry = $documented | Where-Object name -eq $p
            $entry | Should -Not -BeNullOrEmpty -Because "-$p of $Name needs help"
            (Get-Text $entry.description) | Should -Not -BeNullOrEmpty -Because "-$p of $Name needs a description"
        }
    }

    It 'gives -DnssecValidation and -TrustAnchorPath to exactly the cmdlets whose verdicts depend on DNSSEC, documented' {
        # Issue 13: Test-DaneTlsa and Resolve-HopSecurity decide DANE and hop levels from DNSSEC states; the other cmdlets
        # report answers as the resolver gives them.
        $expected = @('Resolve-HopSecurity', 'Test-DaneTlsa')
        foreach ($p in 'DnssecValidation', 'TrustAnchorPath') {
            @((Get-Module MailSecurity).ExportedCmdlets.Keys | Where-Object { (Get-Command $_).Parameters.ContainsKey($p) } | Sort-Object) | Should -Be $expected
            foreach ($name in $expected) {
                $entry = @((Get-Help $name -Full).parameters.parameter) | Where-Object name -EQ $p
                (Get-Text $entry.description) | Should -Match 'trust anchor' -Because "-$p of $name explains local validation"
            }
        }
        (Get-Command Test-DaneTlsa).Parameters['DnssecValidation'].Attributes.ValidValues | Should -Be @('Auto', 'Resolver', 'Local')
    }

    It '<Name> names its inputs and every output type it declares' -ForEach $Cmdlets {
        $help = Get-Help $Name -Full
        @($help.inputTypes.inputType.type.name | Where-Object { $_ }).Count | Should -BeGreaterThan 0
        $returns = @($help.returnValues.returnValue.type.name)
        foreach ($t in (Get-Command $Name).OutputType) { $returns | Should -Contain $t.Name }
        foreach ($r in @($help.returnValues.returnValue)) { (Get-Text $r.description) | Should -Not -BeNullOrEmpty }
    }

    It '<Name> has at least three examples, and every example parses' -ForEach $Cmdlets {
        $examples = @((Get-Help $Name -Full).examples.example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($e in $examples) {
            $e.code | Should -Not -BeNullOrEmpty
            $tokens = $null; $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($e.code, [ref] $tokens, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because "$($e.title.Trim(' -')) of $Name must parse"
        }
    }

    It '<Name> shows a single domain, a bulk run and a scheduled export that alerts on finding codes' -ForEach $Cmdlets {
        $codes = @((Get-Help $Name -Full).examples.example | ForEach-Object { [string] $_.code })
        # Single: an example that works on named inputs, not a list from Exchange, a CSV or a folder.
        @($codes | Where-Object { $_ -notmatch 'Get-AcceptedDomain|Import-Csv|Get-ChildItem|Get-SendConnector' }).Count | Should -BeGreaterThan 0
        # Bulk: accepted domains or a CSV.
        @($codes | Where-Object { $_ -match 'Get-AcceptedDomain|Import-Csv' }).Count | Should -BeGreaterThan 0
        # Scheduled: results exported to CSV, JSON or Clixml, and an alert keyed on finding codes.
        @($codes | Where-Object { $_ -match 'Export-Csv|ConvertTo-Json|Export-Clixml' -and $_ -match "Code -in|\.Code\b|-contains '[A-Z][A-Za-z]+\.[A-Z]" }).Count | Should -BeGreaterThan 0
    }

    It '<Name> has its help source in docs/cmdlets' -ForEach $Cmdlets {
        $Doc | Should -Exist
    }
}

Describe 'about_MailSecurity' {
    It 'is installed with the module' {
        $help = Get-Help about_MailSecurity
        ($help | Out-String) | Should -Match 'HOP SECURITY LEVELS'
    }

    It 'lists every finding code the module can emit, with its severity' {
        $text = Get-Help about_MailSecurity | Out-String
        $codes = [MailSecurity.FindingCatalog]::Descriptors
        $codes.Count | Should -BeGreaterThan 0
        foreach ($d in $codes) {
            $text | Should -Match ([regex]::Escape("$($d.Code)  [$($d.Severity)]"))
        }
    }
}

Describe 'Finding codes named in the help' {
    It 'exist in the catalog (no stale or misspelt code in docs/cmdlets or the about_MailSecurity template)' {
        $known = [MailSecurity.FindingCatalog]::Descriptors.Code
        $files = @(Get-ChildItem (Join-Path $PSScriptRoot '../../docs/cmdlets') -Filter *.md) + @(Get-Item (Join-Path $PSScriptRoot '../../docs/about_MailSecurity.help.txt.template'))
        # Not after a '.' or '$': '$r.Spf.Tree' is a property path in an example, not a finding code.
        $pattern = '(?<![.$\w])(Mx|Dns|Spf|Dmarc|Dkim|MtaSts|TlsRpt|Bimi|Smtp|Tls|Dane|Hop|Received|AuthResults|Arc|Message|Smime|OpenPgp|Input)\.[A-Z][A-Za-z0-9]+\b(?!\.[A-Za-z])'
        $named = @($files | ForEach-Object { [regex]::Matches((Get-Content -Raw $_.FullName), $pattern) } | ForEach-Object Value | Sort-Object -Unique)
        $named.Count | Should -BeGreaterThan 20
        @($named | Where-Object { $_ -notin $known }) | Should -BeNullOrEmpty
    }
}

Describe 'Lab addresses in the README and the help' {
    It 'uses the default lab (127.0.x.y) everywhere and its validating resolver, 127.0.53.2, in every -DnsServer example (the README''s local-validation examples: the non-validating 127.0.53.3)' {
        $root = Join-Path $PSScriptRoot '../..'
        $files = @(Get-Item (Join-Path $root 'README.md')) + @(Get-ChildItem (Join-Path $root 'docs') -Recurse -Include '*.md', '*.template')
        $files.Count | Should -BeGreaterThan 5
        foreach ($file in $files) {
            $text = Get-Content -Raw $file.FullName
            # Output captured from a lab run with MAILSECURITY_LAB_NET=127.N is shown as the default lab's addresses.
            @([regex]::Matches($text, '\b127\.(?!0\.)\d+\.\d+\.\d+\b').Value) | Should -BeNullOrEmpty -Because $file.Name
            foreach ($server in [regex]::Matches($text, '-DnsServer\s+''?(?<ip>\d+\.\d+\.\d+\.\d+)') | ForEach-Object { $_.Groups['ip'].Value }) {
                # Local DNSSEC validation (issue 13) is shown where it matters: behind the lab's non-validating resolver.
                $allowed = if ($file.Name -eq 'README.md') { '127.0.53.2', '127.0.53.3' } else { @('127.0.53.2') }
                $server | Should -BeIn $allowed -Because "the examples in $($file.Name) use the lab's validating resolver, or the non-validating one to show local validation"
            }
        }
    }
}

Describe 'Type names' {
    It 'resolves result types right after Import-Module, before any cmdlet ran' {
        $out = & dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$($env:MAILSECURITY_MODULE)'; [int][MailSecurity.Severity]::Critical; [MailSecurity.MxStatus]::NullMx"
        $LASTEXITCODE | Should -Be 0
        $out[0] | Should -Be '3'
        $out[1] | Should -Be 'NullMx'
    }
}

Describe 'Tab completion' {
    It 'completes -DkimSelector with the known selectors' {
        $line = 'Get-MailAuthRecords example.test -DkimSelector sel'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        # Microsoft 365 publishes its keys at selector1 and selector2 (RFC 6376 selectors are free-form; these are the known ones).
        $completions | Should -Contain 'selector1'
        $completions | Should -Contain 'selector2'
        $completions | ForEach-Object { $_ | Should -BeLike 'sel*' }
    }

    It 'completes -DnsServer with the resolvers of /etc/resolv.conf' -Skip:(-not (Test-Path /etc/resolv.conf)) {
        $configured = @(Get-Content /etc/resolv.conf | Where-Object { $_ -match '^\s*nameserver\s+(\S+)' } | ForEach-Object { $Matches[1] })
        $line = 'Get-MailAuthRecords example.test -DnsServer '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        foreach ($ns in $configured | Where-Object { $_ -notmatch '^fe80:' }) { $completions | Should -Contain $ns }
    }
}
