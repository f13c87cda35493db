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
