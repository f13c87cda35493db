# The test command's lab lifecycle (build.ps1 -Task Test): start the loopback lab, run the tests, and stop the lab again
# only if this run started it and the user did not ask to keep it (-KeepLab), also when the tests throw. Kept apart from
# build.ps1 so tests/Pester/TestRunner.Tests.ps1 can check the decision against a recording lab script.

function Test-LabRunning {
    param([Parameter(Mandatory)] [string] $LabScript)
    & bash $LabScript status *> $null
    return $LASTEXITCODE -eq 0
}

function Invoke-WithLab {
    <#
    .SYNOPSIS
        Runs $Body with the lab started; returns $Body's result. $Body receives one argument: whether the lab is up.
    #>
    param(
        [Parameter(Mandatory)] [string] $LabScript,
        [Parameter(Mandatory)] [scriptblock] $Body,
        [switch] $KeepLab
    )
    # Whether this run starts the lab decides whether it stops it: a lab someone started before is left alone.
    $wasRunning = Test-LabRunning -LabScript $LabScript
    & bash $LabScript start | Out-Host
    $labOk = $LASTEXITCODE -eq 0
    try {
        & $Body $labOk
    } finally {
        if ($labOk -and -not $wasRunning -and -not $KeepLab) {
            Write-Host '==> Stopping the lab this test run started (-KeepLab keeps it)'
            & bash $LabScript stop *>&1 | Out-Host
        }
    }
}

Export-ModuleMember -Function Invoke-WithLab, Test-LabRunning
