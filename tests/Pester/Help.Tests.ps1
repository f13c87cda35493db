# Help: about_MailSecurity carries the complete finding catalog; type names resolve right after import.
BeforeAll {
    Import-Module $env:MAILSECURITY_MODULE -Force
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

Describe 'Type names' {
    It 'resolves result types right after Import-Module, before any cmdlet ran' {
        $out = & dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$($env:MAILSECURITY_MODULE)'; [int][MailSecurity.Severity]::Critical; [MailSecurity.MxStatus]::NullMx"
        $LASTEXITCODE | Should -Be 0
        $out[0] | Should -Be '3'
        $out[1] | Should -Be 'NullMx'
    }
}

Describe 'Tab completion' {
    It 'completes -DnsServer with the resolvers of /etc/resolv.conf' -Skip:(-not (Test-Path /etc/resolv.conf)) {
        $configured = @(Get-Content /etc/resolv.conf | Where-Object { $_ -match '^\s*nameserver\s+(\S+)' } | ForEach-Object { $Matches[1] })
        $line = 'Get-MailAuthRecords example.test -DnsServer '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        foreach ($ns in $configured | Where-Object { $_ -notmatch '^fe80:' }) { $completions | Should -Contain $ns }
    }
}
