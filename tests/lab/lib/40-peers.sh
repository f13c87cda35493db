# Peers tier: the hostile and special servers of tests/MailSecurity.TestPeers (SMTP: endless banner, 10 MB EHLO reply,
# slow drip, 454 to STARTTLS, TLS abort, non-SMTP service, immediate close, a REQUIRETLS server, fifty slow servers
# with a shared concurrency counter; DNS: resolver fronts that drop or delay DS questions), all in one process, as
# listed in tests/lab/smtp/peers.list on $LAB_NET.26.K (or $LAB_NET.X.Y for a spec written X.Y).

PEERS_ROOT() { (cd "$LAB_SRC/../.." && pwd); }
PEERS_DLL() { echo "$(PEERS_ROOT)/tests/MailSecurity.TestPeers/bin/Release/net10.0/MailSecurity.TestPeers.dll"; }

# Prints one "ip port peer options..." line per peer (ranges expanded, {{PKI}} and {{NET}} replaced).
peers_specs() {
  local line spec peer opts k1 k2 k port
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%#*}"
    [ -n "${line// /}" ] || continue
    read -r spec peer opts <<< "$line"
    port=25
    if [[ "$spec" == *:* ]]; then port="${spec#*:}"; spec="${spec%%:*}"; fi
    opts="${opts//\{\{PKI\}\}/$LAB_DIR/pki}"
    opts="${opts//\{\{NET\}\}/$LAB_NET}"
    if [[ "$spec" == *.* ]]; then
      echo "$LAB_NET.$spec $port $peer $opts"
      continue
    fi
    k1="${spec%%-*}"; k2="${spec#*-}"
    for k in $(seq "$k1" "$k2"); do
      echo "$LAB_NET.26.$k $port $peer $opts"
    done
  done < "$LAB_SRC/smtp/peers.list"
}

tier_peers_prepare() {
  local dll; dll="$(PEERS_DLL)"
  local src; src="$(PEERS_ROOT)/tests/MailSecurity.TestPeers"
  # The test pipeline builds the solution in Release before the lab starts; build here only when that did not happen.
  if [ ! -f "$dll" ] || [ -n "$(find "$src" -name '*.cs' -newer "$dll" -not -path '*/obj/*' -not -path '*/bin/*' 2>/dev/null | head -n 1)" ]; then
    log "building the test peers"
    dotnet build "$src" -c Release --nologo -v q >> "$LAB_DIR/state/peers-build.log" 2>&1 || die "could not build the test peers (see $LAB_DIR/state/peers-build.log)"
  fi
  peers_specs > "$LAB_DIR/state/peers.specs"
}

tier_peers_start() {
  local -a args=()
  local ip port peer opts
  while read -r ip port peer opts; do
    [ ${#args[@]} -eq 0 ] || args+=(--)
    # shellcheck disable=SC2206
    args+=("$peer" "$ip" "$port" $opts)
  done < "$LAB_DIR/state/peers.specs"
  lab_spawn peers dotnet "$(PEERS_DLL)" "${args[@]}"
}

tier_peers_stop() {
  lab_kill "$LAB_DIR/run/peers.pid"
}

tier_peers_check() {
  lab_pid_alive "$LAB_DIR/run/peers.pid" || return 1
  grep -q '^ready' "$LAB_DIR/run/peers.log" 2>/dev/null || return 1
  # A changed peer build restarts the lab (the lab's definition hash covers tests/lab only).
  [ ! "$(PEERS_DLL)" -nt "$LAB_DIR/run/peers.pid" ] || return 1
  # The DNS fronts pass everything but DS through to the non-validating Unbound.
  dig +time=2 +tries=1 +short @"$LAB_DS_DROPPING_IP" test. SOA | grep -q . || return 1
  dig +time=2 +tries=1 +short @"$LAB_DS_DELAYING_IP" test. SOA | grep -q . || return 1
  "$PY" - "$LAB_NET.26.99" 8025 <<'PYCHECK'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
s.sendall(b"GET\n")
sys.exit(0 if s.recv(512).startswith(b"{") else 1)
PYCHECK
}
