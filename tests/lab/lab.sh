#!/usr/bin/env bash
# The MailSecurity lab: real DNS (NSD + Unbound, DNSSEC), SMTP (Postfix), HTTPS (nginx) and hostile peers,
# all on 127.0.0.0/8, all state under one folder ($MAILSECURITY_LAB_DIR, default /tmp/mailsecurity-lab).
#   lab.sh start|stop|restart|status|dir
# Idempotent: "start" on a running lab whose definition has not changed does nothing. Needs root (ports 25/443/53);
# without root it says why and exits 3. It never touches system configuration.
set -euo pipefail
LAB_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export LAB_SRC
LAB_NET="${MAILSECURITY_LAB_NET:-127.0}"
[[ "$LAB_NET" =~ ^127\.[0-9]{1,3}$ ]] || { echo "MAILSECURITY_LAB_NET must look like 127.N" >&2; exit 2; }
export LAB_NET
# Optional, for the benchmarks (tests/bench): zone data ({{NET}}) renders as this net instead of LAB_NET, so clients
# are sent to delay proxies listening there while the servers still bind LAB_NET. Default: LAB_NET (unchanged).
LAB_FRONT_NET="${MAILSECURITY_LAB_FRONT_NET:-$LAB_NET}"
[[ "$LAB_FRONT_NET" =~ ^127\.[0-9]{1,3}$ ]] || { echo "MAILSECURITY_LAB_FRONT_NET must look like 127.N" >&2; exit 2; }
export LAB_FRONT_NET
# Optional: a folder of extra *.test.zone files served like tests/lab/zones (the bench's generated domains).
LAB_EXTRA_ZONES="${MAILSECURITY_LAB_EXTRA_ZONES:-}"
[ -z "$LAB_EXTRA_ZONES" ] || [ -d "$LAB_EXTRA_ZONES" ] || { echo "MAILSECURITY_LAB_EXTRA_ZONES: no such folder: $LAB_EXTRA_ZONES" >&2; exit 2; }
export LAB_EXTRA_ZONES
if [ "$LAB_NET" = 127.0 ]; then default_dir=mailsecurity-lab; else default_dir="mailsecurity-lab-$LAB_NET"; fi
LAB_DIR="${MAILSECURITY_LAB_DIR:-${TMPDIR:-/tmp}/$default_dir}"
export LAB_DIR
# shellcheck source=lib/common.sh
source "$LAB_SRC/lib/common.sh"
for tier in "$LAB_SRC"/lib/[0-9]*.sh; do
  # shellcheck disable=SC1090
  source "$tier"
done

cmd="${1:-status}"
case "$cmd" in
  dir) echo "$LAB_DIR" ;;
  start) lab_start ;;
  stop) lab_stop ;;
  restart) lab_stop; lab_start ;;
  status) lab_status ;;
  *) echo "usage: lab.sh start|stop|restart|status|dir" >&2; exit 2 ;;
esac
