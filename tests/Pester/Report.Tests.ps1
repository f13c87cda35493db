# ConvertTo-MailSecurityReport: the HTML page built from real lab results, rendered in headless Chromium (Debian's
# chromium, installed by tests/lab/install-packages.sh). Expectations come from the lab's zones and listeners and from the
# cmdlets' own results (worst severity per domain), never from the report code under test.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    $script:HasChromium = [bool](Get-Command chromium -CommandType Application -ErrorAction SilentlyContinue)
    # Outside CI a machine without chromium skips the browser tests visibly; with MAILSECURITY_REQUIRE_LAB=1 they fail instead.
    $script:SkipBrowser = $SkipLab -or (-not $HasChromium -and $env:MAILSECURITY_REQUIRE_LAB -ne '1')
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

    # Runs headless Chromium on a local file with every network feature off. Console messages (script errors,
    # Content-Security-Policy violations, failed loads) are logged to stderr as INFO:CONSOLE lines, which is how
    # "no console errors" is checked without the DevTools protocol.
    function Invoke-Chromium {
        param([Parameter(Mandatory)] [string] $Page, [string] $Screenshot, [string] $WindowSize = '1280,1800')
        $chromium = (Get-Command chromium -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
        $work = Join-Path (Get-PSDrive TestDrive).Root ('chromium-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Force $work
        $arguments = @('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--disable-extensions', '--hide-scrollbars', "--user-data-dir=$work/profile",
            '--enable-logging=stderr', '--v=0', "--window-size=$WindowSize")
        $arguments += if ($Screenshot) { "--screenshot=$Screenshot" } else { '--dump-dom' }
        $arguments += ([Uri] ("file://" + (Resolve-Path -LiteralPath $Page).ProviderPath)).AbsoluteUri
        $p = Start-Process -FilePath $chromium -ArgumentList $arguments -RedirectStandardOutput "$work/out.txt" -RedirectStandardError "$work/err.txt" -PassThru
        if (-not $p.WaitForExit(120000)) { $p.Kill($true); throw "chromium did not finish within 120 s on $Page" }
        $stderr = @(Get-Content "$work/err.txt" -ErrorAction SilentlyContinue)
        [pscustomobject]@{
            ExitCode = $p.ExitCode
            Dom      = Get-Content -Raw "$work/out.txt" -Encoding utf8 -ErrorAction SilentlyContinue
            Console  = @($stderr | Where-Object { $_ -match ':CONSOLE[:(]' })
        }
    }

    function Get-MatrixRows([string] $html) {
        # The matrix rows, in page order: domain name (as shown), anchor, and each cell's class and text.
        $matrix = [regex]::Match($html, '(?s)<section id="matrix">.*?</section>').Value
        foreach ($row in [regex]::Matches($matrix, '(?s)<tr><th scope="row"><a href="#(?<id>d\d+)">(?<name>[^<]*)</a>.*?</tr>')) {
            [pscustomobject]@{
                Id    = $row.Groups['id'].Value
                Name  = [Net.WebUtility]::HtmlDecode($row.Groups['name'].Value)
                Cells = @([regex]::Matches($row.Value, '<td class="(?<class>r-[a-z]+)"(?: title="[^"]*")?>(?<text>[^<]*)</td>') | ForEach-Object {
                        [pscustomobject]@{ Class = $_.Groups['class'].Value; Text = [Net.WebUtility]::HtmlDecode($_.Groups['text'].Value) } })
            }
        }
    }
}

Describe 'ConvertTo-MailSecurityReport input handling' {
    It 'returns one HTML page as a string' {
        $hop = [pscustomobject]@{ PSTypeName = 'Deserialized.MailSecurity.HopSecurity'; Domain = 'a.test'; MxHost = 'mx.a.test'; Level = 'Cleartext'; Findings = @() }
        $out = @($hop | ConvertTo-MailSecurityReport)
        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType ([string])
        $out[0] | Should -Match '^<!DOCTYPE html>'
        $out[0] | Should -Match '<a href="#d1">a\.test</a>'
    }

    It 'writes UnsupportedInputObject for anything that is not a MailSecurity result, and still writes the page' {
        $errs = $null
        $out = 'just text', 42 | ConvertTo-MailSecurityReport -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -Be 'UnsupportedInputObject,MailSecurity.Commands.ConvertToMailSecurityReportCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidType'
        $errs[0].TargetObject | Should -Be 'just text'
        $out | Should -Match 'No domain results were given'
    }

    It 'unrolls arrays piped as one item (such as $a, $b | ...)' {
        $a = [pscustomobject]@{ PSTypeName = 'MailSecurity.HopSecurity'; Domain = 'a.test'; MxHost = 'mx.a.test'; Level = 'Cleartext' }
        $b = [pscustomobject]@{ PSTypeName = 'MailSecurity.HopSecurity'; Domain = 'b.test'; MxHost = 'mx.b.test'; Level = 'OpportunisticTls' }
        $html = , @($a, @($b)) | ConvertTo-MailSecurityReport
        @(Get-MatrixRows $html).Name | Sort-Object | Should -Be @('a.test', 'b.test')
    }

    It 'encodes the title' {
        ConvertTo-MailSecurityReport -InputObject @() -Title '<b>Mail & more</b>' | Should -Match '<title>&lt;b&gt;Mail &amp; more&lt;/b&gt;</title>'
    }
}

Describe 'ConvertTo-MailSecurityReport against the lab, rendered in headless Chromium' -Tag 'Lab' -Skip:$SkipBrowser {
    BeforeAll {
        Assert-LabAvailable
        if (-not (Get-Command chromium -CommandType Application -ErrorAction SilentlyContinue)) {
            throw 'chromium is not installed (tests/lab/install-packages.sh installs it); the report test needs it.'
        }

        $script:Domains = 'secure.test', 'sts-enforce.test', 'sts-testing.test', 'sts-uncovered.test', 'sts-badmxcert.test', 'cleartext.hop.test',
            'backup-cleartext.hop.test', 'requiretls.hop.test', 'bogus.test', 'nullmx.test', 'hostile-records.test', 'sts-redirect.test', 'dane.test', 'missing.test'
        $script:Results = @(
            $Domains | Get-MailAuthRecords -DnsServer $Lab.Resolver -ErrorAction SilentlyContinue
            $Domains | Resolve-HopSecurity -DnsServer $Lab.Resolver -ErrorAction SilentlyContinue
            $Domains | Get-MtaStsPolicy -DnsServer $Lab.Resolver -ErrorAction SilentlyContinue
            Test-SmtpStartTls -HostName expired.mx.smtp.test -DnsServer $Lab.Resolver
            Get-ChildItem (Join-Path $RepoRoot 'tests/corpus/headers') -Filter '*.eml' | Where-Object Name -Match '^0[12]-' | Resolve-HopSecurity -SkipSignatureVerification
        )
        $script:Html = $Results | ConvertTo-MailSecurityReport -Title 'MailSecurity lab report'
        $script:Page = Join-Path (Get-PSDrive TestDrive).Root 'report.html'
        # The page is pure ASCII, so even an encoding that is not UTF-8 keeps it intact.
        Set-Content -Path $Page -Value $Html -Encoding ascii
        $script:Rendered = Invoke-Chromium -Page $Page
        $script:Rows = @(Get-MatrixRows $Rendered.Dom)

        # Each domain's worst severity straight from the cmdlets' results: the report must sort by it.
        $script:Worst = @{}
        foreach ($r in $Results | Where-Object { $_.PSObject.Properties['Domain'] -and $_.Domain }) {
            $all = @($r.Findings)
            if ($r -is [MailSecurity.HopSecurity]) {
                $all += @($r.DeliveryRisks) + @($r.Dane.Findings)
                # A host that DANE authenticates is not judged by PKIX (RFC 7672 section 3.1.2): its sessions' PKIX findings do not count.
                $all += @($r.Probes.Findings | Where-Object { $r.Level -ne 'DaneAuthenticated' -or $_.Code -notin 'Tls.CertificateUntrusted', 'Tls.SelfSigned', 'Tls.IncompleteChain', 'Tls.CertificateHostMismatch' })
            }
            foreach ($f in $all) {
                if ($null -ne $f -and (-not $Worst.ContainsKey($r.Domain) -or [int]$f.Severity -gt $Worst[$r.Domain])) { $Worst[$r.Domain] = [int]$f.Severity }
            }
        }
    }

    It 'renders without a single console message (no script errors, no blocked loads)' {
        $Rendered.ExitCode | Should -Be 0
        $Rendered.Dom | Should -Match '</html>'
        $Rendered.Console | Should -BeNullOrEmpty
    }

    It 'fits a 1400 px window: no cell clips its text (such as OpportunisticTls) and the page does not scroll sideways' {
        # A measuring copy: the report itself runs no script (its Content-Security-Policy forbids it), so the copy drops
        # that meta element and appends one script that writes the layout into the DOM --dump-dom returns.
        $probe = @'
<script>
window.addEventListener('load', function () {
  var m = { innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, clipped: [] };
  var cells = document.querySelectorAll('td, th');
  for (var i = 0; i < cells.length; i++) {
    if (cells[i].scrollWidth > cells[i].clientWidth + 1) { m.clipped.push(cells[i].textContent.trim().slice(0, 60)); }
  }
  var pre = document.createElement('pre'); pre.id = 'layout-metrics'; pre.textContent = JSON.stringify(m); document.body.appendChild(pre);
});
</script>
'@
        $measured = ($Html -replace '<meta http-equiv="Content-Security-Policy"[^>]*>', '') -replace '</body>', ($probe + '</body>')
        $copy = Join-Path (Get-PSDrive TestDrive).Root 'report-measure.html'
        Set-Content -Path $copy -Value $measured -Encoding ascii
        $r = Invoke-Chromium -Page $copy -WindowSize '1400,900'
        $json = [regex]::Match($r.Dom, '<pre id="layout-metrics">(?<m>[^<]*)</pre>').Groups['m'].Value
        $json | Should -Not -BeNullOrEmpty -Because 'the measuring script must have run'
        $m = [Net.WebUtility]::HtmlDecode($json) | ConvertFrom-Json
        $m.innerWidth | Should -Be 1400
        $m.scrollWidth | Should -BeLessOrEqual $m.innerWidth
        @($m.clipped) | Should -BeNullOrEmpty
        # The data that used to clip is on the page.
        $Html | Should -Match 'OpportunisticTls'
    }

    It 'would notice console errors (the check itself works)' {
        $bad = Join-Path (Get-PSDrive TestDrive).Root 'bad.html'
        Set-Content -Path $bad -Encoding ascii -Value '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src ''none''"><title>x</title></head><body><script>console.error("boom")</script><img src="http://192.0.2.1/x.png"></body></html>'
        $r = Invoke-Chromium -Page $bad
        @($r.Console).Count | Should -BeGreaterOrEqual 2
        ($r.Console -join "`n") | Should -Match 'Content Security Policy'
    }

    It 'has one matrix row per domain and host, linked to its drill-down section' {
        $names = @($Rows.Name)
        foreach ($d in $Domains) { $names | Should -Contain $d }
        # expired.mx.smtp.test is an MX of none of these domains: its probe gets a row of its own.
        $names | Should -Contain 'expired.mx.smtp.test'
        $names.Count | Should -Be ($Domains.Count + 1)
        foreach ($row in $Rows) {
            $Rendered.Dom | Should -Match ('<section class="entry" id="{0}">\s*<h3>{1} ' -f $row.Id, [regex]::Escape([Net.WebUtility]::HtmlEncode($row.Name)))
            $row.Cells.Count | Should -Be 11
        }
    }

    It 'puts the worst domains first' {
        $ranks = @($Rows | Where-Object { $Worst.ContainsKey($_.Name) } | ForEach-Object { $Worst[$_.Name] })
        $ranks.Count | Should -Be $Domains.Count
        for ($i = 1; $i -lt $ranks.Count; $i++) { $ranks[$i] | Should -BeLessOrEqual $ranks[$i - 1] }
        # bogus.test fails DNSSEC validation: its MX lookup failure is Critical, so it leads.
        $Rows[0].Name | Should -Be 'bogus.test'
    }

    It 'colours the hop level of the weakest MX (<Domain>: <Level>)' -ForEach @(
        @{ Domain = 'sts-enforce.test'; Level = 'MtaStsEnforced'; Class = 'r-good' }
        @{ Domain = 'sts-testing.test'; Level = 'MtaStsTesting'; Class = 'r-warning' }
        @{ Domain = 'secure.test'; Level = 'OpportunisticTls'; Class = 'r-warning' }
        @{ Domain = 'cleartext.hop.test'; Level = 'Cleartext'; Class = 'r-error' }
        @{ Domain = 'backup-cleartext.hop.test'; Level = 'Cleartext'; Class = 'r-error' }
        @{ Domain = 'sts-uncovered.test'; Level = 'OpportunisticTls +1 risk'; Class = 'r-error' }
        @{ Domain = 'nullmx.test'; Level = 'NoService'; Class = 'r-neutral' }
        # The failed MX lookup is the delivery risk (as in HopSecurityDomain.Tests.ps1).
        @{ Domain = 'bogus.test'; Level = 'Unreachable +1 risk'; Class = 'r-critical' }
    ) {
        $hop = ($Rows | Where-Object Name -eq $Domain).Cells[9]
        $hop.Text | Should -Be $Level
        $hop.Class | Should -Be $Class
    }

    It 'colours the other checks by their worst finding' {
        $bogus = ($Rows | Where-Object Name -eq 'bogus.test').Cells
        $bogus[0].Class | Should -Be 'r-critical'     # Mx.LookupFailed
        $bogus[0].Text | Should -Be 'LookupFailed'
        $uncovered = ($Rows | Where-Object Name -eq 'sts-uncovered.test').Cells
        $uncovered[4].Class | Should -Be 'r-error'    # MTA-STS: MtaSts.MxNotCovered
        $expired = ($Rows | Where-Object Name -eq 'expired.mx.smtp.test').Cells
        $expired[7].Class | Should -Be 'r-error'      # STARTTLS: Tls.CertificateExpired
        $expired[7].Text | Should -Be 'CertificateInvalid'
        $expired[0].Class | Should -Be 'r-notchecked'
    }

    It 'never colours a failed check green (issue 12)' {
        # tests/lab/zones/sts-redirect.test.zone: a valid TXT record, but the policy host answers with a redirect.
        $redirect = ($Rows | Where-Object Name -eq 'sts-redirect.test').Cells
        $redirect[4].Text | Should -Be 'FetchFailed'
        $redirect[4].Class | Should -Be 'r-error'
        # missing.test does not exist: Mx.DomainNotFound is an Error for Get-MailAuthRecords and for the hop alike.
        $missing = ($Rows | Where-Object Name -eq 'missing.test').Cells
        $missing[0].Class | Should -Be 'r-error'
        $missing[10].Class | Should -Not -BeIn 'r-good', 'r-neutral'
    }

    It 'does not mark a host down for PKIX when DANE authenticates it (RFC 7672 section 3.1.2)' {
        # dane.test: ee and ta are DANE-authenticated; ta's chain is from a private CA (tests/lab/certs/dane.list), so PKIX fails.
        $dane = ($Rows | Where-Object Name -eq 'dane.test').Cells
        $dane[9].Text | Should -Be 'DaneAuthenticated'
        $dane[9].Class | Should -Be 'r-good'
        $dane[8].Class | Should -Be 'r-good'
        $dane[7].Class | Should -Be 'r-good'
        $section = [regex]::Match($Rendered.Dom, '(?s)<section class="entry" id="(?<id>d\d+)">\s*<h3>dane\.test .*?</section>').Value
        $section | Should -Match '<code>Tls\.CertificateUntrusted</code>'
        [Net.WebUtility]::HtmlDecode($section) | Should -Match 'which DANE authenticates'
        $summary = [regex]::Match($Rendered.Dom, '(?s)<section id="summary">.*?</section>').Value
        $untrusted = [regex]::Match($summary, '(?s)<tr><td><span class="sev[^"]*">[^<]*</span></td><td><code>Tls\.CertificateUntrusted</code>.*?</tr>').Value
        $untrusted | Should -Not -Match '>dane\.test<'
    }

    It 'lists the worst problems first, with what they mean and how to fix them' {
        $summary = [regex]::Match($Rendered.Dom, '(?s)<section id="summary">.*?</section>').Value
        $severities = @([regex]::Matches($summary, '<tr><td><span class="sev sev-(?<s>[a-z]+)">') | ForEach-Object { [int][MailSecurity.Severity]$_.Groups['s'].Value })
        $severities.Count | Should -BeGreaterThan 5
        $severities[0] | Should -Be ([int][MailSecurity.Severity]::Critical)
        for ($i = 1; $i -lt $severities.Count; $i++) { $severities[$i] | Should -BeLessOrEqual $severities[$i - 1] }
        $summary | Should -Match 'Mx\.LookupFailed'
        [Net.WebUtility]::HtmlDecode($summary).Contains([MailSecurity.FindingCatalog]::Find('MtaSts.MxNotCovered').Remedy) | Should -BeTrue
    }

    It 'shows the findings and evidence of each domain in its drill-down' {
        $section = [regex]::Match($Rendered.Dom, '(?s)<section class="entry" id="(?<id>d\d+)">\s*<h3>sts-uncovered\.test .*?</section>').Value
        $section | Should -Match '<code>MtaSts\.MxNotCovered</code>'
        $section | Should -Match 'mx2\.sts-uncovered\.test'
        $section | Should -Match '<summary>Resolve-HopSecurity \(one row per MX host\)</summary>'
        $section | Should -Match '<summary>Get-MtaStsPolicy</summary>'
    }

    It 'shows hostile record text as text: no injected element, the characters visible' {
        $dom = $Rendered.Dom
        # Chromium serialises text nodes with < and > escaped: markup from DNS is still text after parsing.
        $dom | Should -Match ([regex]::Escape('include:&lt;script&gt;alert(1)&lt;/script&gt;.hostile-records.test'))
        $dom | Should -Match ([regex]::Escape('mailto:"&gt;&lt;img src=x onerror=alert(2)&gt;@hostile-records.test'))
        $dom | Should -Not -Match '<script'
        $dom | Should -Not -Match '<img'
        $dom | Should -Not -Match '<b>caf'
        $dom | Should -Match 'id=&lt;b&gt;caf\u00e9&lt;/b&gt;'
        # The control character U+0001 in the TLS-RPT record is shown as its control picture.
        $dom | Should -Match "tls\u2401rpt@hostile-records\.test"
    }

    It 'lists the analysed messages with their hops' {
        $Rendered.Dom | Should -Match '<section id="messages">'
        $Rendered.Dom | Should -Match '01-postfix-tls13-submission\.eml'
        $Rendered.Dom | Should -Match '(?s)<section class="entry" id="m2">.*?Hops \(oldest first\)'
    }

    It 'builds the same report from results read back with Import-Clixml' {
        $file = Join-Path (Get-PSDrive TestDrive).Root 'results.xml'
        $Results | Export-Clixml -Path $file
        $again = Import-Clixml -Path $file | ConvertTo-MailSecurityReport -Title 'MailSecurity lab report'
        # Everything but the generation time: summary, matrix, findings and evidence.
        $page = { param($h) $h -replace 'Generated [0-9: -]+ UTC', 'Generated' }
        $lines = @((& $page $again) -split "`n")
        $expected = @((& $page $Html) -split "`n")
        $lines.Count | Should -Be $expected.Count
        for ($i = 0; $i -lt $lines.Count; $i++) { $lines[$i] | Should -Be $expected[$i] -Because "line $($i + 1) of the page" }
    }

    It 'takes a screenshot for the README' {
        $png = Join-Path (Get-PSDrive TestDrive).Root 'report.png'
        $r = Invoke-Chromium -Page $Page -Screenshot $png -WindowSize '1440,2000'
        $r.ExitCode | Should -Be 0
        $bytes = [IO.File]::ReadAllBytes($png)
        $bytes.Length | Should -BeGreaterThan 20000
        # PNG signature, then the IHDR width and height (big-endian) as requested.
        $bytes[0..7] | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        [BitConverter]::ToInt32([byte[]]($bytes[19..16]), 0) | Should -Be 1440
        # Only on request, so that test runs leave the working tree alone: MAILSECURITY_UPDATE_SCREENSHOT=1 refreshes docs/images/report.png.
        if ($env:MAILSECURITY_UPDATE_SCREENSHOT -eq '1') {
            $null = New-Item -ItemType Directory -Force (Join-Path $RepoRoot 'docs/images')
            Copy-Item $png (Join-Path $RepoRoot 'docs/images/report.png') -Force
        }
    }
}
