# Foundation: module layout, the DNS layer through Get-MailAuthRecords' MX part against every lab DNS scenario,
# the error model, pipeline binding and ordering, cancellation, serialization and dependency isolation.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
    # Expected MX interpretation per lab zone (tests/lab/zones/*.zone), written from the zone files: behind the validating
    # resolver, and (Nv*) behind the lab's non-validating one, where signed answers arrive without validation
    # (Unvalidated: Get-MailAuthRecords never runs the DS walk, issue 19), unsigned ones stay Insecure, and the data of bogus or expired zones is passed on as is.
    $script:MxCases = @(
        @{ Domain = 'secure.test'; Status = 'Found'; Hosts = @('mx1.secure.test', 'mx2.secure.test'); Dnssec = 'Secure'; Codes = @('Mx.DnssecSecure')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.DnssecNotValidated') }
        @{ Domain = 'insecure.test'; Status = 'Found'; Hosts = @('mx1.insecure.test'); Dnssec = 'Insecure'; Codes = @('Mx.DnssecInsecure')
            NvDnssec = 'Insecure'; NvCodes = @('Mx.DnssecInsecure') }
        @{ Domain = 'island.test'; Status = 'Found'; Hosts = @('mx1.island.test'); Dnssec = 'Unvalidated'; Codes = @('Mx.DnssecNotValidated')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.DnssecNotValidated') }
        @{ Domain = 'bogus.test'; Status = 'LookupFailed'; Hosts = @(); Dnssec = 'Bogus'; Codes = @('Mx.LookupFailed')
            NvStatus = 'Found'; NvHosts = @('mx1.bogus.test'); NvDnssec = 'Unvalidated'; NvCodes = @('Mx.DnssecNotValidated') }
        @{ Domain = 'expired.test'; Status = 'LookupFailed'; Hosts = @(); Dnssec = 'Bogus'; Codes = @('Mx.LookupFailed')
            NvStatus = 'Found'; NvHosts = @('mx1.expired.test'); NvDnssec = 'Unvalidated'; NvCodes = @('Mx.DnssecNotValidated') }
        @{ Domain = 'nullmx.test'; Status = 'NullMx'; Hosts = @(); Dnssec = 'Secure'; Codes = @('Mx.NullMx')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.NullMx', 'Mx.DnssecNotValidated') }
        @{ Domain = 'nullmx-mixed.test'; Status = 'Found'; Hosts = @('mx1.secure.test'); Dnssec = 'Secure'; Codes = @('Mx.NullMxWithOtherMx', 'Mx.NullMxNonZeroPreference')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.NullMxWithOtherMx', 'Mx.DnssecNotValidated') }
        @{ Domain = 'implicit-mx.test'; Status = 'ImplicitMx'; Hosts = @('implicit-mx.test'); Dnssec = 'Secure'; Codes = @('Mx.ImplicitMx')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.ImplicitMx', 'Mx.DnssecNotValidated') }
        @{ Domain = 'no-mail.test'; Status = 'NoMailService'; Hosts = @(); Dnssec = 'Secure'; Codes = @('Mx.NoMailService')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.NoMailService', 'Mx.DnssecNotValidated') }
        @{ Domain = 'ip-mx.test'; Status = 'Found'; Hosts = @('192.0.2.25', 'mx1.secure.test'); Dnssec = 'Secure'; Codes = @('Mx.TargetIsIpAddress')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.TargetIsIpAddress', 'Mx.DnssecNotValidated') }
        @{ Domain = 'idn-mx.test'; Status = 'Found'; Hosts = @('xn--mller-kva.secure.test'); Dnssec = 'Secure'; Codes = @('Mx.DnssecSecure')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.DnssecNotValidated') }
        @{ Domain = 'missing.test'; Status = 'DomainNotFound'; Hosts = @(); Dnssec = 'Secure'; Codes = @('Mx.DomainNotFound')
            NvDnssec = 'Unvalidated'; NvCodes = @('Mx.DomainNotFound') }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment

    # The manifest's RootModule is an expression over $PSEdition (a binary root module per edition, issue 16), so it
    # is not a plain data file for Import-PowerShellDataFile: its static keys are read from the parsed manifest.
    function Get-ManifestData {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($env:MAILSECURITY_MODULE, [ref]$null, [ref]$null)
        $table = $ast.Find({ param($n) $n -is [System.Management.Automation.Language.HashtableAst] }, $false)
        $data = @{}
        foreach ($pair in $table.KeyValuePairs) {
            $expression = if ($pair.Item2 -is [System.Management.Automation.Language.PipelineAst]) { $pair.Item2.GetPureExpression() }
            $data[$pair.Item1.Value] = if ($expression) { $expression.SafeGetValue() } else { $pair.Item2.Extent.Text }
        }
        $data
    }
}

Describe 'Module layout' {
    It 'exports every cmdlet of the design, explicitly' {
        $expected = 'Get-MailAuthRecords', 'Get-MtaStsPolicy', 'Resolve-HopSecurity', 'Test-DaneTlsa', 'Test-SmtpStartTls', 'Test-SpfRecord'
        $manifest = Get-ManifestData
        $manifest.CmdletsToExport | Should -Not -Contain '*'
        foreach ($name in $expected) { $manifest.CmdletsToExport | Should -Contain $name }
        $exported = (Get-Command -Module MailSecurity).Name
        foreach ($name in $expected) { $exported | Should -Contain $name }
    }

    It 'lists its format and types files and both editions' {
        $manifest = Get-ManifestData
        $manifest.FormatsToProcess | Should -Contain 'MailSecurity.Format.ps1xml'
        $manifest.TypesToProcess | Should -Contain 'MailSecurity.Types.ps1xml'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        # The root module is the assembly of the running edition, chosen by the manifest itself (no script module); the
        # Desktop pass imports the test copy whose manifest names the Desktop build (build.ps1, Get-EditionModule).
        if ($env:MAILSECURITY_EDITION -eq 'Desktop') { $manifest.RootModule | Should -Be 'Desktop/MailSecurity.PowerShell.dll' }
        else { $manifest.RootModule | Should -Match '^if \(\$PSEdition -eq .Core.\) \{ .Core/MailSecurity\.PowerShell\.dll. \} else \{ .Desktop/MailSecurity\.PowerShell\.dll. \}$' }
        $base = Split-Path $env:MAILSECURITY_MODULE
        Join-Path $base 'Core/MailSecurity.PowerShell.dll' | Should -Exist
        Join-Path $base 'Desktop/MailSecurity.PowerShell.dll' | Should -Exist
        # Dependencies sit where PowerShell's probing does not look.
        Join-Path $base 'Core/Dependencies/MailKit.dll' | Should -Exist
        Join-Path $base 'Core/MailKit.dll' | Should -Not -Exist
    }

    It 'stamps the version from Directory.Build.props' {
        $root = Split-Path (Split-Path $PSScriptRoot)
        [xml] $props = Get-Content -Raw (Join-Path $root 'Directory.Build.props')
        $version = @($props.Project.PropertyGroup.Version | Where-Object { $_ })[0]
        (Get-ManifestData).ModuleVersion | Should -Be $version
        (Get-Module MailSecurity).Version.ToString() | Should -Be $version
    }

    It 'loads the build of the requested edition' {
        $expected = if ($env:MAILSECURITY_EDITION -eq 'Desktop') { 'Desktop' } else { 'Core' }
        $assembly = (Get-Command Get-MailAuthRecords).ImplementingType.Assembly.Location
        Split-Path -Leaf (Split-Path -Parent $assembly) | Should -Be $expected
        # The manifest's root module is the assembly itself (no script module in between: issue 16, import time).
        (Get-Module MailSecurity).ModuleType | Should -Be 'Binary'
    }

    It 'declares OutputType on Get-MailAuthRecords' {
        (Get-Command Get-MailAuthRecords).OutputType.Name | Should -Contain 'MailSecurity.MailAuthReport'
    }

    It 'has real help for Get-MailAuthRecords' {
        $help = Get-Help Get-MailAuthRecords -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*Get-MailAuthRecords'
        $help.description.Text | Should -Not -BeNullOrEmpty
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
        ($help.parameters.parameter | Where-Object name -EQ 'DnsServer').description.Text | Should -Not -BeNullOrEmpty
    }
}

Describe 'Argument and input errors' {
    It 'rejects a malformed -DnsServer with a terminating InvalidDnsServer error' {
        { Get-MailAuthRecords -Domain secure.test -DnsServer 'dns.example.com' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDnsServer,MailSecurity.Commands.GetMailAuthRecordsCommand'
    }

    It 'rejects -DnsServer <Server> (no unicast resolver) with InvalidDnsServer, not a raw InvalidOperationException' -ForEach @(
        @{ Server = '0.0.0.0' }, @{ Server = '::' }, @{ Server = '255.255.255.255' }
    ) {
        $err = $null
        try { Get-MailAuthRecords -Domain secure.test -DnsServer $Server -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'InvalidDnsServer,MailSecurity.Commands.GetMailAuthRecordsCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'unicast'
    }

    It 'rejects <Name> as an invalid IDNA name before any lookup (not a resolver failure)' -ForEach @(
        @{ Name = 'xn--zz.example' }, @{ Name = 'mail.xn--abc-.example' }
    ) {
        $errs = $null
        $out = Get-MailAuthRecords -Domain $Name -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose 4>&1
        @($out | Where-Object { $_ -is [MailSecurity.MailAuthReport] }).Count | Should -Be 0
        # No DNS question was asked: -Verbose logs every query.
        @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '^DNS ' }).Count | Should -Be 0
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.GetMailAuthRecordsCommand'
        $errs[0].Exception.Message | Should -Match 'IDNA'
        $errs[0].TargetObject | Should -Be $Name
    }

    It 'reports an invalid domain as a non-terminating InvalidDomainName error and carries on' {
        $errs = $null
        $out = Get-MailAuthRecords -Domain 'bad name', "ctl`u{1}char.test", '' -DnsServer 127.0.53.5 -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 0
        @($errs).Count | Should -Be 3
        $errs | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'InvalidDomainName,MailSecurity.Commands.GetMailAuthRecordsCommand' }
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errs[0].TargetObject | Should -Be 'bad name'
    }
}

Describe 'An IP address where a domain belongs' {
    # Issue 12 item 7: every cmdlet that takes a domain refuses an address literal before any DNS question (RFC 5321
    # §4.1.3 forms), with the AddressLiteral ErrorId; the resolver given never answers, so a query would show as a delay.
    It '<Command> refuses <Inputs> at once with AddressLiteral' -ForEach @(
        @{ Command = 'Get-MailAuthRecords'; Inputs = @('192.0.2.1', '[192.0.2.1]'); Extra = @{} }
        @{ Command = 'Get-MtaStsPolicy'; Inputs = @('192.0.2.1', '2001:db8::1'); Extra = @{} }
        @{ Command = 'Resolve-HopSecurity'; Inputs = @('192.0.2.1', '[IPv6:2001:db8::1]'); Extra = @{} }
        @{ Command = 'Test-DaneTlsa'; Inputs = @('192.0.2.1', '[192.0.2.1]'); Extra = @{} }
        @{ Command = 'Test-SmtpStartTls'; Inputs = @('192.0.2.1', '2001:db8::25'); Extra = @{} }
        @{ Command = 'Test-SpfRecord'; Inputs = @('192.0.2.1', '[192.0.2.1]'); Extra = @{ IPAddress = '198.51.100.7' } }
    ) {
        $errs = $null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $out = & $Command -Domain $Inputs @Extra -DnsServer 127.0.53.5 -TimeoutSec 5 -ErrorVariable errs -ErrorAction SilentlyContinue -Verbose 4>&1
        $watch.Stop()
        @($out | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }).Count | Should -Be 0
        # No DNS question was asked (-Verbose lists every query sent).
        @($out | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'DNS *' }).Count | Should -Be 0
        @($errs).Count | Should -Be $Inputs.Count
        for ($i = 0; $i -lt $Inputs.Count; $i++) {
            $errs[$i].FullyQualifiedErrorId | Should -BeLike 'AddressLiteral,MailSecurity.Commands.*'
            $errs[$i].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $errs[$i].TargetObject | Should -Be $Inputs[$i]
            $errs[$i].Exception.Message | Should -Match 'is an IP address'
        }
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
    }
}

Describe 'Get-MailAuthRecords MX against the lab' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll { Assert-LabAvailable }

    It '<Domain>: <Status>, <Dnssec> behind the non-validating resolver: <NvDnssec>' -ForEach $MxCases {
        $r = Get-MailAuthRecords -Domain $Domain -DnsServer $Lab.NonValidatingResolver
        $status = if ($NvStatus) { $NvStatus } else { $Status }
        $r.Mx.Status | Should -Be $status
        $r.MxStatus | Should -Be $status
        @($r.Mx.Hosts.HostName) | Should -Be $(if ($NvHosts) { $NvHosts } else { $Hosts })
        $r.Mx.DnssecStatus | Should -Be $NvDnssec
        foreach ($code in $NvCodes) { $r.Findings.Code | Should -Contain $code }
        if ($NvDnssec -ne 'ResolverNotValidating') { $r.Findings.Code | Should -Not -Contain 'Dns.ResolverNotValidating' }
        $r.Findings.Code | Should -Not -Contain 'Mx.DnssecSecure'
    }

    It '<Domain>: <Status>, <Dnssec>' -ForEach $MxCases {
        $r = Get-MailAuthRecords -Domain $Domain -DnsServer $Lab.Resolver
        $r | Should -BeOfType 'MailSecurity.MailAuthReport'
        $r.Domain | Should -Be $Domain
        $r.Mx.Status | Should -Be $Status
        $r.MxStatus | Should -Be $Status
        @($r.Mx.Hosts.HostName) | Should -Be $Hosts
        $r.Mx.DnssecStatus | Should -Be $Dnssec
        foreach ($code in $Codes) { $r.Findings.Code | Should -Contain $code }
    }

    It 'never reports a DNSSEC failure as a missing MX' {
        foreach ($d in 'bogus.test', 'expired.test') {
            $r = Get-MailAuthRecords -Domain $d -DnsServer $Lab.Resolver
            $r.Mx.Status | Should -Not -BeIn 'NoMailService', 'DomainNotFound', 'ImplicitMx'
            $r.Findings.Code | Should -Not -Contain 'Mx.NoMailService'
            $r.Mx.Error | Should -Match 'DNSSEC'
            ($r.Findings | Where-Object Code -EQ 'Mx.LookupFailed').Severity | Should -Be 'Critical'
        }
    }

    It 'keeps preference order with the lower preference first' {
        $r = Get-MailAuthRecords -Domain secure.test -DnsServer $Lab.Resolver
        $r.Mx.Hosts[0].Preference | Should -Be 10
        $r.Mx.Hosts[1].Preference | Should -Be 20
        $r.MxHosts | Should -Be 'mx1.secure.test, mx2.secure.test'
    }

    It 'normalises case, trailing dots and U-labels' {
        $r = Get-MailAuthRecords -Domain 'SECURE.Test.' -DnsServer $Lab.Resolver
        $r.Domain | Should -Be 'secure.test'
        $r.Mx.Status | Should -Be 'Found'
        (Get-MailAuthRecords -Domain 'bücher.test' -DnsServer $Lab.Resolver).Domain | Should -Be 'xn--bcher-kva.test'
    }

    It 'says signatures came back without AD, and probes no further, through a resolver that does not validate' {
        # The record checks do not depend on DNSSEC: the MX list never waits for the DS walk (issue 19).
        $v = Get-MailAuthRecords -Domain secure.test -DnsServer $Lab.NonValidatingResolver -Verbose 4>&1
        $r = $v | Where-Object { $_ -is [MailSecurity.MailAuthReport] }
        $r.Mx.DnssecStatus | Should -Be 'Unvalidated'
        $r.Findings.Code | Should -Contain 'Mx.DnssecNotValidated'
        $r.Findings.Code | Should -Not -Contain 'Dns.ResolverNotValidating'
        $r.Mx.Status | Should -Be 'Found'
        @($v | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match '\[ds-probe\]' }) | Should -BeNullOrEmpty
    }

    It 'tells an island of security (signed, no DS) from a non-validating resolver where DANE needs it' {
        # Resolve-HopSecurity depends on the MX RRset's DNSSEC state, so it settles it with the DS walk.
        $island = Resolve-HopSecurity -Domain island.test -DnsServer $Lab.Resolver
        $island[0].MxDnssecStatus | Should -Be 'Insecure'
        $nv = Resolve-HopSecurity -Domain island.test -DnsServer $Lab.NonValidatingResolver
        $nv[0].MxDnssecStatus | Should -Be 'ResolverNotValidating'
    }

    It 'times out against a resolver that never answers, within -TimeoutSec, with a DnsTimeout error' {
        $errs = $null
        $elapsed = Measure-Command {
            $script:r = Get-MailAuthRecords -Domain secure.test -DnsServer $Lab.BlackholeResolver -TimeoutSec 2 -ErrorVariable errs -ErrorAction SilentlyContinue
        }
        $elapsed.TotalSeconds | Should -BeLessThan 4
        $errs[0].FullyQualifiedErrorId | Should -Be 'DnsTimeout,MailSecurity.Commands.GetMailAuthRecordsCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $errs[0].TargetObject | Should -Be 'secure.test'
        $r.Mx.Status | Should -Be 'LookupFailed'
        $r.Mx.DnssecStatus | Should -Be 'Indeterminate'
        $r.Mx.Status | Should -Not -Be 'NoMailService'
    }

    It 'reports a -DnsServer address where nothing listens as a lookup failure, not as no MX' {
        $errs = $null
        $r = Get-MailAuthRecords -Domain secure.test -DnsServer $Lab.UnusedAddress -TimeoutSec 1 -ErrorVariable errs -ErrorAction SilentlyContinue
        $r.Mx.Status | Should -Be 'LookupFailed'
        $errs[0].FullyQualifiedErrorId | Should -Match '^(DnsTimeout|DnsServerUnreachable),'
    }

    It 'falls back to the next -DnsServer when the first does not answer' {
        $r = Get-MailAuthRecords -Domain secure.test -DnsServer $Lab.UnusedAddress, $Lab.Resolver -TimeoutSec 2
        $r.Mx.Status | Should -Be 'Found'
    }

    It 'binds pipeline objects by property name (Exchange-style DomainName and Name)' {
        $r1 = [pscustomobject]@{ DomainName = 'secure.test' } | Get-MailAuthRecords -DnsServer $Lab.Resolver
        $r1.Domain | Should -Be 'secure.test'
        $r2 = [pscustomobject]@{ Name = 'nullmx.test' } | Get-MailAuthRecords -DnsServer $Lab.Resolver
        $r2.Mx.Status | Should -Be 'NullMx'
    }

    It 'streams results in input order even when later inputs finish first' {
        # The black-hole domain is slow (timeout); the rest are fast. Order must still be the input order.
        $inputs = 'secure.test', 'insecure.test', 'nullmx.test', 'missing.test', 'no-mail.test', 'implicit-mx.test'
        $out = $inputs | Get-MailAuthRecords -DnsServer $Lab.Resolver -ThrottleLimit 6
        @($out.Domain) | Should -Be $inputs
    }

    It 'shows the DNS queries with -Verbose' {
        $verbose = Get-MailAuthRecords -Domain secure.test -DnsServer $Lab.Resolver -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match ('DNS secure\.test MX @' + [regex]::Escape($Lab.Resolver) + ':53: NoError AD')
    }

    It 'stops within a second on Ctrl+C (StopProcessing)' {
        $stop = Measure-CmdletStop -Command 'Get-MailAuthRecords' -Parameters @{ Domain = @('a.test', 'b.test', 'c.test'); DnsServer = $Lab.BlackholeResolver; TimeoutSec = 60 }
        $stop.StateBefore | Should -Be 'Running'
        $stop.StateAfter | Should -Be 'Stopped'
        $stop.StopTime.TotalSeconds | Should -BeLessThan 1
    }

    It 'produces objects that survive ConvertTo-Json, Export-Clixml and Export-Csv' {
        $r = Get-MailAuthRecords -Domain secure.test, nullmx.test -DnsServer $Lab.Resolver
        $json = $r | ConvertTo-Json -Depth 5 | ConvertFrom-Json
        $json[0].Domain | Should -Be 'secure.test'
        $json[0].Mx.Hosts[0].HostName | Should -Be 'mx1.secure.test'
        $r | Export-Clixml -Path TestDrive:/r.xml
        $back = Import-Clixml TestDrive:/r.xml
        # Enums come back from CLIXML as their numeric value; they convert back to the enum.
        [MailSecurity.MxStatus] $back[1].MxStatus | Should -Be ([MailSecurity.MxStatus]::NullMx)
        [MailSecurity.MxStatus] $back[1].Mx.Status | Should -Be ([MailSecurity.MxStatus]::NullMx)
        $back[0].Findings[0].Code | Should -Not -BeNullOrEmpty
        $r | Export-Csv -Path TestDrive:/r.csv -NoTypeInformation
        $csv = Import-Csv TestDrive:/r.csv
        $csv[0].MxStatus | Should -Be 'Found'
        $csv[0].MxHosts | Should -Be 'mx1.secure.test, mx2.secure.test'
        $worst = ($r[1].Findings | ForEach-Object { [int] $_.Severity } | Measure-Object -Maximum).Maximum
        $csv[1].WorstSeverity | Should -Be ([MailSecurity.Severity] $worst).ToString()
    }
}

Describe 'Build requirements' {
    BeforeAll { $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }

    It 'pins the .NET SDK in global.json at a version that builds every target framework, and the README says which' {
        $globalJson = Join-Path $RepoRoot 'global.json'
        $globalJson | Should -Exist
        $sdk = (Get-Content -Raw $globalJson | ConvertFrom-Json).sdk
        $version = [version] $sdk.version
        # An SDK builds target frameworks up to its own major version (net10.0 needs SDK 10).
        foreach ($project in Get-ChildItem $RepoRoot -Recurse -Include '*.csproj', '*.proj' | Where-Object FullName -NotMatch '[\\/](out|bin|obj)[\\/]') {
            foreach ($tfm in [regex]::Matches((Get-Content -Raw $project.FullName), 'net(?<v>\d+)\.\d+') | ForEach-Object { [int] $_.Groups['v'].Value }) {
                $tfm | Should -BeLessOrEqual $version.Major -Because "$($project.Name) targets net$tfm.x"
            }
        }
        (Get-Content -Raw (Join-Path $RepoRoot 'README.md')) | Should -Match ([regex]::Escape(".NET SDK $($sdk.version)"))
    }
}

Describe 'Progress' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        # Runs a command in its own PowerShell instance and returns the progress records it wrote.
        function Get-ProgressRecords([string] $Script) {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$($env:MAILSECURITY_MODULE)'; $Script")
                $null = $ps.Invoke()
                @($ps.Streams.Progress)
            } finally { $ps.Dispose() }
        }
    }

    It 'shows a percentage when the inputs are given as a parameter (their number is known)' {
        # Three domains behind a resolver that never answers, one at a time: about three seconds, so progress is shown.
        $records = Get-ProgressRecords "Get-MailAuthRecords -Domain a.test, b.test, c.test -DnsServer $($Lab.BlackholeResolver) -TimeoutSec 1 -ThrottleLimit 1 -ErrorAction SilentlyContinue"
        $working = @($records | Where-Object RecordType -EQ 'Processing')
        $working.Count | Should -BeGreaterThan 0
        foreach ($r in $working) {
            $r.PercentComplete | Should -BeGreaterOrEqual 0
            $r.PercentComplete | Should -BeLessOrEqual 100
            $r.StatusDescription | Should -Match '^\d of 3 done'
        }
        @($records | Where-Object RecordType -EQ 'Completed').Count | Should -Be 1
    }

    It 'shows counts without a percentage when the inputs come from the pipeline (their number is unknown)' {
        $records = Get-ProgressRecords "'a.test', 'b.test', 'c.test' | Get-MailAuthRecords -DnsServer $($Lab.BlackholeResolver) -TimeoutSec 1 -ThrottleLimit 1 -ErrorAction SilentlyContinue"
        $working = @($records | Where-Object RecordType -EQ 'Processing')
        $working.Count | Should -BeGreaterThan 0
        foreach ($r in $working) {
            $r.PercentComplete | Should -Be -1
            $r.StatusDescription | Should -Match '^\d done'
        }
    }
}
