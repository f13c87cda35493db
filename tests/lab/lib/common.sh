# Shared helpers and the start/stop/status driver. Tiers live in lib/NN-name.sh and define
# tier_<name>_prepare (generate config from tests/lab definitions), tier_<name>_start, tier_<name>_stop,
# tier_<name>_check (exit 0 when healthy). They run in file-name order.

# Loopback address plan (documented in tests/lab/README.md). Every address is $LAB_NET.x.y; LAB_NET
# (MAILSECURITY_LAB_NET, default 127.0) lets several labs run side by side, e.g. one per developer worktree.
LAB_AUTH_IP=$LAB_NET.53.1          # NSD, authoritative for test. and every lab zone
LAB_RESOLVER_IP=$LAB_NET.53.2      # Unbound, validating with the lab trust anchor
LAB_NONVALIDATING_IP=$LAB_NET.53.3 # Unbound without validation (returns signatures, never AD)
LAB_BLACKHOLE_IP=$LAB_NET.53.4     # reads DNS queries and never answers
LAB_UNUSED_IP=$LAB_NET.53.5        # nothing listens here
LAB_DS_DROPPING_IP=$LAB_NET.53.6   # test peer: forwards to the non-validating Unbound, never answers DS questions
LAB_DS_DELAYING_IP=$LAB_NET.53.7   # test peer: the same, but answers DS questions after 30 s
LAB_DNS_TTL=300
PY=/usr/bin/python3

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

lab_tiers() {
  local f
  for f in "$LAB_SRC"/lib/[0-9]*.sh; do
    basename "$f" .sh | sed 's/^[0-9]*-//'
  done
}

# A hash of everything that defines the lab: a changed definition restarts a running lab.
lab_definition_hash() {
  {
    (cd "$LAB_SRC" && find . -type f ! -name '*.md' -print0 | sort -z | xargs -0 sha256sum)
    echo "front-net $LAB_FRONT_NET"
    if [ -n "$LAB_EXTRA_ZONES" ]; then
      (cd "$LAB_EXTRA_ZONES" && find . -maxdepth 1 -type f -name '*.zone' -print0 | sort -z | xargs -0 -r sha256sum)
    fi
  } | sha256sum | cut -c1-16
}

lab_require_root() {
  if [ "$(id -u)" != 0 ]; then
    echo "[lab] the lab needs root: it binds ports 25, 53 and 443 on 127.0.0.0/8 (run as root, or in CI)." >&2
    exit 3
  fi
}

lab_require_tools() {
  local missing=() t
  for t in nsd unbound ldns-keygen ldns-signzone ldns-key2ds openssl faketime dig "$@"; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "[lab] missing tools: ${missing[*]} (Debian: apt-get install nsd unbound ldnsutils openssl faketime bind9-dnsutils postfix nginx)" >&2
    exit 4
  fi
}

lab_running() {
  [ -f "$LAB_DIR/state/hash" ] || return 1
  local t
  for t in $(lab_tiers); do
    "tier_${t}_check" >/dev/null 2>&1 || return 1
  done
}

lab_start() {
  lab_require_root
  lab_require_tools
  local hash
  hash="$(lab_definition_hash)"
  if lab_running && [ "$(cat "$LAB_DIR/state/hash")" = "$hash" ]; then
    log "already running ($LAB_DIR)"
    return 0
  fi
  lab_stop >/dev/null 2>&1 || true
  rm -rf "$LAB_DIR"
  mkdir -p "$LAB_DIR/state"
  chmod 755 "$LAB_DIR"
  local t
  for t in $(lab_tiers); do
    log "preparing $t"
    "tier_${t}_prepare"
  done
  for t in $(lab_tiers); do
    log "starting $t"
    "tier_${t}_start"
  done
  for t in $(lab_tiers); do
    local i ok=0
    for i in $(seq 1 50); do
      if "tier_${t}_check" >/dev/null 2>&1; then ok=1; break; fi
      sleep 0.2
    done
    [ $ok = 1 ] || die "$t did not come up; see logs under $LAB_DIR"
  done
  echo "$hash" > "$LAB_DIR/state/hash"
  lab_write_env
  log "running ($LAB_DIR)"
}

lab_stop() {
  local t
  for t in $(lab_tiers | tac); do
    "tier_${t}_stop" 2>/dev/null || true
  done
  rm -f "$LAB_DIR/state/hash"
  # A stopped lab must not look available: the xunit lab tests (LabEnvironment) take this file as the sign that the lab
  # is up, and a test run after a stop then waited out timeouts against daemons that were gone.
  rm -f "$LAB_DIR/lab.env.json"
  log "stopped"
}

lab_status() {
  local t rc=0
  for t in $(lab_tiers); do
    if "tier_${t}_check" >/dev/null 2>&1; then echo "$t: up"; else echo "$t: down"; rc=1; fi
  done
  [ -f "$LAB_DIR/lab.env.json" ] && echo "env: $LAB_DIR/lab.env.json"
  return $rc
}

# Machine-readable facts for the tests (Pester and xunit read this file).
lab_write_env() {
  {
    printf '{\n'
    printf '  "LabDir": "%s",\n' "$LAB_DIR"
    printf '  "Net": "%s",\n' "$LAB_NET"
    printf '  "FrontNet": "%s",\n' "$LAB_FRONT_NET"
    printf '  "Resolver": "%s",\n' "$LAB_RESOLVER_IP"
    printf '  "NonValidatingResolver": "%s",\n' "$LAB_NONVALIDATING_IP"
    printf '  "Authoritative": "%s",\n' "$LAB_AUTH_IP"
    printf '  "BlackholeResolver": "%s",\n' "$LAB_BLACKHOLE_IP"
    printf '  "UnusedAddress": "%s",\n' "$LAB_UNUSED_IP"
    printf '  "DsDroppingResolver": "%s",\n' "$LAB_DS_DROPPING_IP"
    printf '  "DsDelayingResolver": "%s",\n' "$LAB_DS_DELAYING_IP"
    printf '  "TrustBundle": "%s",\n' "$LAB_DIR/pki/trust.pem"
    printf '  "RootCa": "%s"\n' "$LAB_DIR/pki/lab-root.crt"
    printf '}\n'
  } > "$LAB_DIR/lab.env.json"
}

# Start a command in the background with its own log and pid file.
lab_spawn() {
  local name="$1"; shift
  mkdir -p "$LAB_DIR/run"
  setsid "$@" >"$LAB_DIR/run/$name.log" 2>&1 < /dev/null &
  echo $! > "$LAB_DIR/run/$name.pid"
}

lab_kill() {
  local pidfile="$1" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

lab_pid_alive() {
  local pidfile="$1"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}
