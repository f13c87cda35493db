#!/usr/bin/env bash
# Installs the Debian packages the lab, the peer comparisons and the report test (headless Chromium) need. Needs root; never changes their
# system configuration (the lab runs its own instances with its own config under one temp folder).
set -euo pipefail
PACKAGES=(nsd unbound ldnsutils bind9-dnsutils openssl faketime postfix libsasl2-modules nginx python3 python3-spf iproute2 ca-certificates chromium)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# The bench's mailauth peer (tests/peer/mailauth, installed there with npm ci) needs node and npm; a node that is
# already installed (with its own npm) is kept.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "[lab] packages present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "[lab] missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
# Postfix asks how to configure the system mailer; the lab does not use the system instance.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "[lab] installed: ${missing[*]}"
