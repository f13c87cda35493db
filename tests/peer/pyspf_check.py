#!/usr/bin/env python3
"""Runs pyspf (Debian python3-spf) on SPF cases read as JSON lines from stdin.

Each input line: {"id": ..., "host": ip, "mailfrom": ..., "helo": ..., "server": "127.0.54.1", "port": 5401}
Each output line: {"id": ..., "result": "pass"|..., "explanation": ...}
Used by Compare-Spf.ps1; pyspf asks the given server through py3dns.
"""
import json
import sys

import DNS
import spf


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        case = json.loads(line)
        DNS.defaults['server'] = [case['server']]
        DNS.defaults['port'] = int(case['port'])
        try:
            q = spf.query(i=case['host'], s=case['mailfrom'], h=case['helo'], timeout=2)
            q.set_default_explanation('DEFAULT')
            res, _, exp = q.check()
            res = {'unknown': 'permerror', 'error': 'temperror'}.get(res, res)
        except Exception as ex:  # a crash is a result worth reporting, not a reason to stop
            res, exp = 'exception', '%s: %s' % (type(ex).__name__, ex)
        print(json.dumps({'id': case['id'], 'result': res, 'explanation': exp}), flush=True)


if __name__ == '__main__':
    main()
