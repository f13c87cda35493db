# Before/after guard of refactorings (issue 17), in the Core pass only (about 6 minutes under load; the Desktop build is
# the same source, and its own differences are covered by the other suites): the JSON of every cmdlet's results on the lab equals the snapshot
# committed in tests/snapshots/results/ (what varies from run to run is normalised; ResultSnapshot.psm1 says what and why).
# The test never writes the snapshot. After an intended change of results, regenerate it with the explicit command
#     dotnet pwsh ./build.ps1 -Task Snapshot
# and review the diff of tests/snapshots/results/ in the commit.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResultSnapshot.psm1') -Force
    $script:SkipLab = Get-LabSkip
    # Case names only (the commands are made again in BeforeAll, where the lab environment is known).
    $script:Cases = @(Get-ResultSnapshotCase -Lab ([pscustomobject]@{ Resolver = ''; NonValidatingResolver = '' }) | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'LabSupport.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ResultSnapshot.psm1') -Force
    Import-Module $env:MAILSECURITY_MODULE -Force
    $script:Lab = Get-LabEnvironment
}

Describe 'Result snapshot: every cmdlet returns what it returned when the snapshot was made' -Tag 'Lab' -Skip:$SkipLab {
    BeforeAll {
        Assert-LabAvailable
        $script:CaseByName = @{}
        Get-ResultSnapshotCase -Lab $Lab | ForEach-Object { $script:CaseByName[$_.Name] = $_ }
    }

    It 'covers the module''s cmdlets that make results from the lab' {
        # Compare-MailSecurityResult and ConvertTo-MailSecurityReport read results; Report.Tests and CompareResult.Tests
        # cover them. A new cmdlet that makes results must get a case here.
        $producers = @((Get-Module MailSecurity).ExportedCmdlets.Keys | Where-Object { $_ -notin 'Compare-MailSecurityResult', 'ConvertTo-MailSecurityReport' })
        $covered = @($CaseByName.Keys | ForEach-Object { ($_ -split '\.')[0] } | Sort-Object -Unique)
        $producers | Where-Object { $_ -notin $covered } | Should -BeNullOrEmpty
    }

    It '<Name>' -ForEach $Cases {
        $file = Join-Path (Get-ResultSnapshotDirectory) "$Name.json"
        $file | Should -Exist -Because 'the snapshot is made by dotnet pwsh ./build.ps1 -Task Snapshot'
        $actual = Get-ResultSnapshotText -Case $CaseByName[$Name]
        $expected = [IO.File]::ReadAllText($file)
        $difference = Compare-ResultSnapshotText -Expected $expected -Actual $actual
        $difference | Should -BeNullOrEmpty -Because "the results of $Name must not change (regenerate the snapshot only for an intended change)"
    }
}
