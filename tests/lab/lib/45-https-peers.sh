# Hostile HTTPS peers (tests/MailSecurity.TestPeers/Https): MTA-STS policy hosts that misbehave on purpose, one per
# address $LAB_NET.45.K:443, all in one TestPeers process. Zones sts-slow/huge/nonutf8/cut.test point mta-sts.<d> here.
#   45.1 https-slow      drips the response one byte per second
#   45.2 https-huge      a 10 MB chunked body
#   45.3 https-nonutf8   a body that is not UTF-8
#   45.4 https-cut       closes after 30 of 400 announced body bytes
HTTPS_PEERS_PROJECT() { echo "$LAB_SRC/../MailSecurity.TestPeers"; }

https_peers_dll() {
  local dll; dll="$(HTTPS_PEERS_PROJECT)/bin/Release/net10.0/MailSecurity.TestPeers.dll"
  if [ ! -f "$dll" ]; then
    log "building MailSecurity.TestPeers (Release)"
    dotnet build "$(HTTPS_PEERS_PROJECT)/MailSecurity.TestPeers.csproj" -c Release --nologo -v q -clp:ErrorsOnly >&2 || die "cannot build MailSecurity.TestPeers"
  fi
  echo "$dll"
}

tier_https-peers_prepare() {
  https_peers_dll > "$LAB_DIR/state/https-peers.dll"
}

tier_https-peers_start() {
  local dll pki="$LAB_DIR/pki"
  dll="$(cat "$LAB_DIR/state/https-peers.dll")"
  local tls="cert=$pki/sts-peers.chain.pem key=$pki/sts-peers.key"
  # shellcheck disable=SC2086
  lab_spawn https-peers dotnet "$dll" \
    https-slow "$LAB_NET.45.1" 443 $tls interval=1000 -- \
    https-huge "$LAB_NET.45.2" 443 $tls -- \
    https-nonutf8 "$LAB_NET.45.3" 443 $tls -- \
    https-cut "$LAB_NET.45.4" 443 $tls
}

tier_https-peers_stop() {
  lab_kill "$LAB_DIR/run/https-peers.pid"
}

tier_https-peers_check() {
  lab_pid_alive "$LAB_DIR/run/https-peers.pid" && grep -q '^ready' "$LAB_DIR/run/https-peers.log" 2>/dev/null &&
  timeout 2 bash -c "exec 3<>/dev/tcp/$LAB_NET.45.4/443" 2>/dev/null
}
