# Compare-MailSecurityResult: what changed between two runs, for every result type, against a reference read back with
# Import-Clixml (as a scheduled task keeps it). The reference is the same lab run with one thing edited by hand, so each
# expected change follows from the edit, not from the comparer.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    $script:SkipLab = Get-LabSkip
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment

    # Export-Clixml, then Import-Clixml: the reference as a scheduled task reads it back.
    function Save-Run([object[]] $InputObject) {
        $path = Join-Path $TestDrive ("run-{0}.xml" -f [guid]::NewGuid().ToString('N'))
        $InputObject | Export-Clixml -Path $path
        $path
    }
}

Describe 'Compare-MailSecurityResult' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $script:Hops = @(Resolve-HopSecurity sts-uncovered.test -DnsServer $Lab.Resolver)
        $script:Auth = @(Get-MailAuthRecords auth-good.test -DkimSelector selector1 -DnsServer $Lab.Resolver)
        $script:Sts = @(Get-MtaStsPolicy sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck)
        $script:Probe = @(Test-SmtpStartTls -HostName valid.mx.smtp.test -DnsServer $Lab.Resolver)
        $script:Dane = @(Test-DaneTlsa -Domain dane.test -DnsServer $Lab.Resolver)
        $script:Spf = @(Test-SpfRecord good.spf-lab.test 192.0.2.10, 198.18.0.1 -DnsServer $Lab.Resolver)
        $script:Path = @(Resolve-HopSecurity -Path (Join-Path $PSScriptRoot '../corpus/headers/09-gmail-inbound.eml') -SkipSignatureVerification)
        $script:All = $Hops + $Auth + $Sts + $Probe + $Dane + $Spf + $Path
        $script:Saved = Save-Run $All
    }

    It 'finds nothing changed between a run and the same run read back with Import-Clixml (every result type)' {
        @(Compare-MailSecurityResult -ReferenceObject (Import-Clixml $Saved) -DifferenceObject $All) | Should -BeNullOrEmpty
        # The same through -Baseline, and with the live objects on both sides.
        @(Compare-MailSecurityResult -Baseline $Saved -DifferenceObject $All) | Should -BeNullOrEmpty
        @($All | Compare-MailSecurityResult -ReferenceObject $All) | Should -BeNullOrEmpty
    }

    It 'reports a finding that appeared as a new problem (MtaSts.MxNotCovered on mx2, an Error)' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*HopSecurity' }
        $mx2 = $ref | Where-Object MxHost -EQ 'mx2.sts-uncovered.test'
        $mx2.Findings = @($mx2.Findings | Where-Object Code -NE 'MtaSts.MxNotCovered')
        $changes = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Hops)
        $changes.Count | Should -Be 1
        $c = $changes[0]
        $c | Should -BeOfType ([MailSecurity.ResultChange])
        $c.Kind | Should -Be 'FindingAppeared'
        $c.Code | Should -Be 'MtaSts.MxNotCovered'
        $c.Severity | Should -Be ((@($Hops[1].Findings) | Where-Object Code -EQ 'MtaSts.MxNotCovered').Severity)
        $c.Target | Should -Be 'mx2.sts-uncovered.test'
        $c.Domain | Should -Be 'sts-uncovered.test'
        $c.ResultType | Should -Be 'HopSecurity'
        $c.IsNewProblem | Should -BeTrue
    }

    It 'reports a finding that cleared, with its old severity' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*MailAuthReport' }
        $ref.Findings = @($ref.Findings) + [pscustomobject]@{ Code = 'Dmarc.NoRecord'; Severity = 'Error'; Target = 'auth-good.test'; Message = 'was missing' }
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Auth)
        $c.Count | Should -Be 1
        $c[0].Kind | Should -Be 'FindingCleared'
        $c[0].Code | Should -Be 'Dmarc.NoRecord'
        $c[0].Before | Should -Be 'Error'
        $c[0].Severity | Should -Be 'Info'
        $c[0].IsNewProblem | Should -BeFalse
    }

    It 'reports a lower hop level per MX host (mx2 was MtaStsEnforced, is OpportunisticTls)' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*HopSecurity' }
        ($ref | Where-Object MxHost -EQ 'mx2.sts-uncovered.test').Level = 'MtaStsEnforced'
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Hops | Where-Object Kind -EQ 'LevelChanged')
        $c.Count | Should -Be 1
        $c[0].Target | Should -Be 'mx2.sts-uncovered.test'
        $c[0].Before | Should -Be 'MtaStsEnforced'
        $c[0].After | Should -Be 'OpportunisticTls'
        $c[0].Severity | Should -Be 'Warning'
        $c[0].Message | Should -Match 'dropped'
    }

    It 'reports changed records (SPF, DMARC) of Get-MailAuthRecords' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*MailAuthReport' }
        $ref.SpfRecord = 'v=spf1 -all'
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Auth)
        @($c.Property) | Should -Be @('SpfRecord')
        $c[0].Kind | Should -Be 'ValueChanged'
        $c[0].Before | Should -Be 'v=spf1 -all'
        $c[0].After | Should -Be $Auth[0].SpfRecord
        # DMARC: a reference whose policy was none (auth-good.test publishes p=reject now).
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*MailAuthReport' }
        $ref.DmarcPolicy = 'None'
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Auth)
        @($c.Property) | Should -Be @('DmarcPolicy')
        $c[0].Before | Should -Be 'None'
        $c[0].After | Should -Be 'Reject'
    }

    It 'reports MTA-STS id and mode changes, and the drift Get-MtaStsPolicy -PreviousPolicy reports from the same reference' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*MtaStsPolicyResult' }
        $ref.Id = 'older1'
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Sts)
        ($c | Where-Object Property -EQ 'Id').After | Should -Be $Sts[0].Id
        $drift = @($c | Where-Object Kind -EQ 'PolicyDrift')
        @($drift.Code) | Should -Be @('MtaSts.IdChangedPolicySame')
        # One implementation: the cmdlet's own drift check says the same.
        @((Get-MtaStsPolicy sts-enforce.test -DnsServer $Lab.Resolver -SkipMxCheck -PreviousPolicy $ref).Drift.Code) | Should -Be @($drift.Code)
        $ref.Mode = 'Testing'
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Sts)
        ($c | Where-Object Property -EQ 'Mode').Before | Should -Be 'Testing'
    }

    It 'reports a changed TLSA set of Test-DaneTlsa' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*DaneResult*' }
        $first = $ref | Select-Object -First 1
        $first.RecordList = '3 1 1 0000000000000000000000000000000000000000000000000000000000000000'
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Dane | Where-Object Property -EQ 'RecordList')
        $c.Count | Should -Be 1
        $c[0].Target | Should -Be $first.HostName
    }

    It 'reports a changed message path (message mode: one hop more in the reference)' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*MessagePath' }
        @($ref).Count | Should -Be 1
        $ref.HopCount = $Path[0].HopCount + 1
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Path)
        $c.Count | Should -Be 1
        $c[0].ResultType | Should -Be 'MessagePath'
        $c[0].Kind | Should -Be 'ValueChanged'
        $c[0].Property | Should -Be 'HopCount'
        $c[0].Before | Should -Be ([string]($Path[0].HopCount + 1))
        $c[0].After | Should -Be ([string]$Path[0].HopCount)
    }

    It 'reports a replaced certificate, and one nearing expiry once' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*SmtpTlsProbe*' }
        $ref.Certificate.Thumbprint = '00' * 20
        $c = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Probe)
        ($c | Where-Object Kind -EQ 'CertificateReplaced').After | Should -Be $Probe[0].Certificate.Thumbprint
        # The lab certificate expires in about two years: inside a 3650-day window, reported when it was outside then.
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*SmtpTlsProbe*' }
        $ref.StartedAt = [DateTimeOffset]::UtcNow.AddYears(-20)
        $near = @(Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Probe -ExpiryWarningDays 3650 | Where-Object Kind -EQ 'CertificateNearingExpiry')
        $near.Count | Should -Be 1
        $near[0].Severity | Should -Be 'Warning'
        # Already inside the window at the reference run: said then, not again.
        $same = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*SmtpTlsProbe*' }
        @(Compare-MailSecurityResult -ReferenceObject $same -DifferenceObject $Probe -ExpiryWarningDays 3650) | Should -BeNullOrEmpty
    }

    It 'reports results added and gone (a new host with its findings, an MX host no longer there)' {
        $expired = Test-SmtpStartTls -HostName expired.mx.smtp.test -DnsServer $Lab.Resolver
        $c = @(Compare-MailSecurityResult -ReferenceObject $Probe -DifferenceObject $expired)
        ($c | Where-Object Kind -EQ 'ResultAdded').Target | Should -Match '^expired\.mx\.smtp\.test \['
        ($c | Where-Object Kind -EQ 'ResultRemoved').Target | Should -Match '^valid\.mx\.smtp\.test \['
        ($c | Where-Object Code -EQ 'Tls.CertificateExpired').IsNewProblem | Should -BeTrue
        ($c | Where-Object Kind -EQ 'CertificateNearingExpiry').Message | Should -Match 'expired on'
    }

    It 'writes flat rows for Export-Csv' {
        $ref = @(Import-Clixml $Saved) | Where-Object { $_.PSObject.TypeNames[0] -like '*HopSecurity' }
        ($ref | Where-Object MxHost -EQ 'mx2.sts-uncovered.test').Level = 'DaneAuthenticated'
        $rows = Compare-MailSecurityResult -ReferenceObject $ref -DifferenceObject $Hops | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv
        $rows[0].Kind | Should -Be 'LevelChanged'
        $rows[0].Before | Should -Be 'DaneAuthenticated'
    }

    It 'refuses objects that are not MailSecurity results, and an empty difference' {
        $errs = $null
        $null = Compare-MailSecurityResult -ReferenceObject 'x' -DifferenceObject $Probe -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'UnsupportedInputObject,MailSecurity.Commands.CompareMailSecurityResultCommand'
        $errs = $null
        $null = @() | Compare-MailSecurityResult -ReferenceObject $Probe -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'NoInput,MailSecurity.Commands.CompareMailSecurityResultCommand'
        { Compare-MailSecurityResult -Baseline (Join-Path $TestDrive 'missing.xml') -DifferenceObject $Probe -ErrorAction Stop } |
            Should -Throw -ErrorId 'BaselineNotFound,MailSecurity.Commands.CompareMailSecurityResultCommand'
    }
}

Describe 'The scheduled-task script (docs/examples/Watch-MailSecurity.ps1)' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $script:Script = Join-Path $PSScriptRoot '../../docs/examples/Watch-MailSecurity.ps1'
        $script:Runs = Join-Path $TestDrive 'runs'
        # Run as Task Scheduler would: a fresh pwsh with -File, the module found on PSModulePath.
        function Invoke-Watch {
            $pwsh = [Environment]::ProcessPath
            [string[]] $prefix = if ((Split-Path -Leaf $pwsh) -like 'dotnet*') { @((Join-Path $PSHOME 'pwsh.dll')) } else { @() }
            $saved = $env:PSModulePath
            try {
                $env:PSModulePath = (Split-Path (Split-Path $env:MAILSECURITY_MODULE)) + [IO.Path]::PathSeparator + $saved
                $out = & $pwsh @prefix -NoProfile -NonInteractive -File $Script -Domain sts-uncovered.test -OutputPath $Runs -DnsServer $Lab.Resolver 2>&1
                [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($out | Out-String) }
            } finally { $env:PSModulePath = $saved }
        }
    }

    It 'keeps the first run with a date stamp and exits 0' {
        $r = Invoke-Watch
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match 'First run'
        @(Get-ChildItem $Runs -Filter 'results-*.xml').Name | Should -Match '^results-\d{4}-\d{2}-\d{2}_\d{6}\.xml$'
        @(Get-ChildItem $Runs -Filter 'results-*.csv').Count | Should -Be 1
    }

    It 'exits 1 when an Error finding appeared since the previous run, and writes the changes' {
        # The previous run did not have mx2's MtaSts.MxNotCovered (edited here, as if the policy had covered it).
        $previous = Get-ChildItem $Runs -Filter 'results-*.xml' | Sort-Object Name | Select-Object -Last 1
        $old = @(Import-Clixml $previous.FullName)
        foreach ($o in $old) { $o.Findings = @($o.Findings | Where-Object Code -NE 'MtaSts.MxNotCovered') }
        $old | Export-Clixml $previous.FullName
        Start-Sleep -Seconds 1   # a new stamp
        $r = Invoke-Watch
        $r.ExitCode | Should -Be 1 -Because $r.Output
        $r.Output | Should -Match 'MtaSts\.MxNotCovered'
        $changes = Import-Csv (Get-ChildItem $Runs -Filter 'changes-*.csv' | Select-Object -First 1).FullName
        @($changes | Where-Object { $_.Code -eq 'MtaSts.MxNotCovered' -and $_.Kind -eq 'FindingAppeared' }).Count | Should -BeGreaterThan 0
    }

    It 'exits 0 when nothing new went wrong' {
        Start-Sleep -Seconds 1
        $r = Invoke-Watch
        $r.ExitCode | Should -Be 0 -Because $r.Output
        $r.Output | Should -Match '0 new problem'
    }
}
