#!/usr/bin/env python3
"""Runs pyspf (Debian python3-spf) on SPF cases read as JSON lines from stdin.

Each input line: {"id": ..., "host": ip, "mailfrom": ..., "helo": ..., "server": "127.0.54.1", "port": 5401}
Each output line: {"id": ..., "result": "pass"|..., "explanation": ..., "ms": <the case's wall time>,
                   "timedOut": <a DNS question of the case timed out>}
--warm runs every case once, untimed, before the timed pass (steady state: a warm process).
--timeout <seconds> per DNS question (default 2).
Used by Compare-Spf.ps1 and the bench (tests/bench/Measure-Peers.ps1); pyspf asks the given server through py3dns.
"""
import json
import sys
import time

import DNS
import spf


def run(case, timeout):
    DNS.defaults['server'] = [case['server']]
    DNS.defaults['port'] = int(case['port'])
    timed_out = False
    t = time.perf_counter()
    try:
        q = spf.query(i=case['host'], s=case['mailfrom'], h=case['helo'], timeout=timeout)
        q.set_default_explanation('DEFAULT')
        res, _, exp = q.check()
        res = {'unknown': 'permerror', 'error': 'temperror'}.get(res, res)
        # pyspf turns a py3dns timeout into temperror with this text (spf.py, DNSLookup).
        timed_out = res == 'temperror' and 'timeout' in str(exp).lower()
    except Exception as ex:  # a crash is a result worth reporting, not a reason to stop
        res, exp = 'exception', '%s: %s' % (type(ex).__name__, ex)
        timed_out = isinstance(ex, DNS.TimeoutError)
    ms = (time.perf_counter() - t) * 1000.0
    return {'id': case['id'], 'result': res, 'explanation': exp, 'ms': round(ms, 2), 'timedOut': timed_out}


def main():
    timeout = 2
    if '--timeout' in sys.argv:
        timeout = float(sys.argv[sys.argv.index('--timeout') + 1])
    cases = [json.loads(line) for line in sys.stdin if line.strip()]
    if '--warm' in sys.argv:
        for case in cases:
            run(case, timeout)
    for case in cases:
        print(json.dumps(run(case, timeout)), flush=True)


if __name__ == '__main__':
    main()
