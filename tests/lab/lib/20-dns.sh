# DNS tier: NSD serves test. and every zone in tests/lab/zones/*.zone (pre-signed with ldns-signzone);
# Unbound validates with the lab trust anchor (the DS of test.); a second Unbound does not validate.
#
# zones/<zone>.zone: records of one zone (origin = file name, must end in .test); SOA and NS are added.
# First line may say how to sign it:  "; lab-mode: signed" (default) | unsigned | island | bogus | expired
#   signed   signed, DS in test.                       -> Secure
#   unsigned not signed, no DS                         -> Insecure
#   island   signed, no DS in test.                    -> Insecure (signatures present, chain of trust absent)
#   bogus    signed, DS in test., data signatures tampered -> SERVFAIL at the validating resolver (Bogus)
#   expired  signed with signatures that expired in 2020   -> Bogus
# Second line (optional) "; lab-dnssec: key=value ..." varies the signing of a signed zone (default: ECDSAP256SHA256, NSEC):
#   alg=RSASHA256|ED25519|ECDSAP384SHA384|...   signing algorithm (ldns-keygen -a names)
#   nsec3=yes|optout                            NSEC3 (salt, 5 iterations), with or without opt-out (RFC 5155 §6)
#   ds=missing-key                              the DS in test. names a KSK the zone does not publish  -> Bogus
#   ds=rollover                                 two KSKs sign the DNSKEY RRset, both DS in test.       -> Secure
#   ds=unsupported                              the DS in test. has a private algorithm number (253)   -> Insecure (RFC 4035 §5.2)
#   sigs=expired-data                           data RRSIGs expired, DNSKEY RRSIGs valid               -> Bogus
# zones/test.zone (optional): extra records for the test. zone itself (e.g. _dmarc.test for PSD scenarios).
# $LAB_EXTRA_ZONES/*.test.zone (optional, MAILSECURITY_LAB_EXTRA_ZONES): more zones in the same format (the bench's).

DNS_DIR() { echo "$LAB_DIR/dns"; }

dns_sign() { # <zone> <infile> <outfile> <mode> [lab-dnssec options] -> prints the DS record(s) for the parent
  local zone="$1" in="$2" out="$3" mode="$4" opts="${5:-}" dir; dir="$(DNS_DIR)/keys"
  mkdir -p "$dir"
  local alg=ECDSAP256SHA256 nsec3="" ds="" sigs="" o
  for o in $opts; do
    case "$o" in
      alg=*) alg="${o#alg=}" ;; nsec3=*) nsec3="${o#nsec3=}" ;; ds=*) ds="${o#ds=}" ;; sigs=*) sigs="${o#sigs=}" ;;
      *) die "zone $zone: unknown lab-dnssec option '$o'" ;;
    esac
  done
  local bits=()
  case "$alg" in RSA*) bits=(-b 2048) ;; esac
  local ksk zsk ksk2="" spare=""
  ksk="$(cd "$dir" && ldns-keygen -a "$alg" "${bits[@]}" -k -r /dev/urandom "$zone")"
  zsk="$(cd "$dir" && ldns-keygen -a "$alg" "${bits[@]}" -r /dev/urandom "$zone")"
  [ "$ds" = rollover ] && ksk2="$(cd "$dir" && ldns-keygen -a "$alg" "${bits[@]}" -k -r /dev/urandom "$zone")"
  [ "$ds" = missing-key ] && spare="$(cd "$dir" && ldns-keygen -a "$alg" "${bits[@]}" -k -r /dev/urandom "$zone")"
  local inception expiration
  if [ "$mode" = expired ]; then
    inception=20190101000000; expiration=20200101000000
  else
    inception="$(date -u -d '-1 day' +%Y%m%d%H%M%S)"; expiration="$(date -u -d '+30 days' +%Y%m%d%H%M%S)"
  fi
  local n3=()
  case "$nsec3" in
    yes) n3=(-n -s 1a2b3c4d -t 5) ;;
    optout) n3=(-n -p -s 1a2b3c4d -t 5) ;;
    "") ;;
    *) die "zone $zone: nsec3=$nsec3" ;;
  esac
  local keys=("$dir/$zsk" "$dir/$ksk")
  [ -n "$ksk2" ] && keys+=("$dir/$ksk2")
  ldns-signzone "${n3[@]}" -i "$inception" -e "$expiration" -f "$out.tmp" "$in" "${keys[@]}"
  if [ "$sigs" = expired-data ]; then
    # The same keys sign again with a window that ended in 2020; keep those data RRSIGs, the DNSKEY ones stay valid.
    ldns-signzone "${n3[@]}" -i 20190101000000 -e 20200101000000 -f "$out.old" "$in" "${keys[@]}"
    { awk '$4=="RRSIG" && $5=="DNSKEY"' "$out.tmp"; awk '!($4=="RRSIG" && $5=="DNSKEY")' "$out.old"; } > "$out.mix"
    mv "$out.mix" "$out.tmp"; rm -f "$out.old"
  fi
  if [ "$mode" = bogus ]; then
    # Damage every data signature (not the DNSKEY ones): the chain of trust holds, the data fails validation.
    awk 'BEGIN{OFS="\t"} $4=="RRSIG" && $5!="DNSKEY" { s=$NF; c=substr(s,10,1); r=(c=="A")?"B":"A"; $NF=substr(s,1,9) r substr(s,11) } {print}' "$out.tmp" > "$out"
    rm -f "$out.tmp"
  else
    mv "$out.tmp" "$out"
  fi
  case "$ds" in
    missing-key) ldns-key2ds -n -2 "$dir/$spare.key" ;;
    rollover) ldns-key2ds -n -2 "$dir/$ksk.key"; ldns-key2ds -n -2 "$dir/$ksk2.key" ;;
    # A private algorithm number (RFC 4034 App. A.1) no validator implements: the delegation is insecure.
    unsupported) ldns-key2ds -n -2 "$dir/$ksk.key" | awk 'BEGIN{OFS="\t"} {$6=253; print}' ;;
    "") ldns-key2ds -n -2 "$dir/$ksk.key" ;;
    *) die "zone $zone: ds=$ds" ;;
  esac
}

tier_dns_prepare() {
  local dir; dir="$(DNS_DIR)"
  mkdir -p "$dir/zones" "$dir/unbound" "$dir/unbound-nv"
  local serial; serial="$(date -u +%s)"
  local parent="$dir/zones/test.zone.in"
  {
    echo "ns IN A $LAB_AUTH_IP"
    [ -f "$LAB_SRC/zones/test.zone" ] && cat "$LAB_SRC/zones/test.zone"
  } > "$dir/test.body"
  local f zone mode
  : > "$dir/zone.names"
  local -a zone_files=("$LAB_SRC"/zones/*.zone)
  [ -n "${LAB_EXTRA_ZONES:-}" ] && zone_files+=("$LAB_EXTRA_ZONES"/*.test.zone)
  for f in "${zone_files[@]}"; do
    [ -f "$f" ] || continue
    zone="$(basename "$f" .zone)"
    [ "$zone" = test ] && continue
    case "$zone" in *.test) ;; *) die "zone file $f: zone names must end in .test" ;; esac
    mode="$(sed -n '1s/^;[[:space:]]*lab-mode:[[:space:]]*\([a-z]*\).*/\1/p' "$f")"
    mode="${mode:-signed}"
    local dnssec_opts; dnssec_opts="$(sed -n '2s/^;[[:space:]]*lab-dnssec:[[:space:]]*//p' "$f")"
    "$PY" "$LAB_SRC/lib/render_zone.py" "$f" "$dir/zones/$zone.zone.in" "$zone" "$LAB_DNS_TTL" "$serial" || die "cannot render $f"
    echo "${zone%.test} IN NS ns.test." >> "$dir/test.body"
    case "$mode" in
      unsigned)
        cp "$dir/zones/$zone.zone.in" "$dir/zones/$zone.zone" ;;
      island)
        dns_sign "$zone" "$dir/zones/$zone.zone.in" "$dir/zones/$zone.zone" signed "$dnssec_opts" > /dev/null ;;
      signed|bogus|expired)
        dns_sign "$zone" "$dir/zones/$zone.zone.in" "$dir/zones/$zone.zone" "$mode" "$dnssec_opts" | sed "s/^$zone\./${zone%.test}/" >> "$dir/test.body" ;;
      *) die "zone file $f: unknown lab-mode '$mode'" ;;
    esac
    # NSD serves a zone with bad records as SERVFAIL and only logs why; fail the start instead.
    nsd-checkzone "$zone" "$dir/zones/$zone.zone" > /dev/null || die "zone file $f does not load (nsd-checkzone $zone)"
    echo "$zone" >> "$dir/zone.names"
  done
  # The parent zone, then the trust anchor from its KSK.
  local tmp; tmp="$(mktemp -d)"
  cp "$dir/test.body" "$tmp/body"
  printf '$ORIGIN test.\n$TTL %s\n@ IN SOA ns.test. hostmaster.test. %s 3600 900 604800 60\n@ IN NS ns.test.\n' "$LAB_DNS_TTL" "$serial" > "$parent"
  cat "$tmp/body" >> "$parent"
  rm -rf "$tmp"
  dns_sign test "$parent" "$dir/zones/test.zone" signed > "$dir/test.ds"

  {
    echo "server:"
    echo "  ip-address: $LAB_AUTH_IP"
    echo "  port: 53"
    echo "  username: \"\""
    echo "  chroot: \"\""
    echo "  zonesdir: \"$dir/zones\""
    echo "  pidfile: \"$dir/nsd.pid\""
    echo "  logfile: \"$dir/nsd.log\""
    echo "  xfrdfile: \"$dir/xfrd.state\""
    echo "  zonelistfile: \"$dir/zone.list\""
    echo "  xfrdir: \"$dir\""
    echo "  database: \"\""
    echo "  server-count: 1"
    echo "  verbosity: 1"
    echo "  hide-version: yes"
    # Response-rate limiting is on by default (200 answers a second per /24): it protects the Internet from reflection
    # through an authoritative server, but here the only client is the lab's own resolvers. Left on, it dropped
    # Unbound's questions about the bench's 10,000 bulk.test names ("ratelimit block bulk.test. type nxdomain" in
    # nsd.log), and the bench measured NSD's limiter instead of the module (issue 16).
    echo "  rrl-ratelimit: 0"
    echo "  rrl-whitelist-ratelimit: 0"
    echo "remote-control:"
    echo "  control-enable: no"
    echo "zone:"
    echo "  name: \"test\""
    echo "  zonefile: \"test.zone\""
    while read -r zone; do
      echo "zone:"
      echo "  name: \"$zone\""
      echo "  zonefile: \"$zone.zone\""
    done < "$dir/zone.names"
  } > "$dir/nsd.conf"
  nsd-checkconf "$dir/nsd.conf" || die "nsd.conf invalid"

  dns_unbound_conf "$dir/unbound" "$LAB_RESOLVER_IP" yes > "$dir/unbound/unbound.conf"
  dns_unbound_conf "$dir/unbound-nv" "$LAB_NONVALIDATING_IP" no > "$dir/unbound-nv/unbound.conf"
  unbound-checkconf "$dir/unbound/unbound.conf" >/dev/null || die "unbound.conf invalid"
  unbound-checkconf "$dir/unbound-nv/unbound.conf" >/dev/null || die "unbound-nv.conf invalid"
}

dns_unbound_conf() { # <dir> <ip> <validate yes|no>
  cat <<CONF
server:
  interface: $2
  port: 53
  do-ip6: no
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$1"
  pidfile: "$1/unbound.pid"
  logfile: "$1/unbound.log"
  use-syslog: no
  verbosity: 1
  val-log-level: 2
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  # Unbound answers test. itself by default (RFC 6761); "transparent" replaces that default so the stub is used.
  local-zone: "test." transparent
  # No internet here: names outside test. fail fast (REFUSED) instead of waiting on the root servers.
  local-zone: "." refuse
  cache-max-ttl: 60
  cache-max-negative-ttl: 10
  serve-expired: no
  minimal-responses: no
  ede: yes
  # A bench burst (-ThrottleLimit 64: up to 512 questions in flight) overflows the default 208 KB socket buffer, and
  # every dropped datagram costs the client a whole retransmission timeout; busy resolvers are configured this way.
  so-rcvbuf: 4m
CONF
  if [ "$3" = yes ]; then
    echo "  module-config: \"validator iterator\""
    echo "  trust-anchor-file: \"$(DNS_DIR)/test.ds\""
    echo "  harden-dnssec-stripped: yes"
  else
    echo "  module-config: \"iterator\""
  fi
  cat <<CONF
stub-zone:
  name: "test."
  stub-addr: $LAB_AUTH_IP@53
CONF
}

tier_dns_start() {
  local dir; dir="$(DNS_DIR)"
  nsd -c "$dir/nsd.conf" || die "nsd did not start (see $dir/nsd.log)"
  lab_spawn unbound unbound -d -c "$dir/unbound/unbound.conf"
  lab_spawn unbound-nv unbound -d -c "$dir/unbound-nv/unbound.conf"
  # The black-hole resolver: reads queries and never answers (for timeout tests).
  lab_spawn dns-blackhole "$PY" -c "import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('$LAB_BLACKHOLE_IP', 53))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(('$LAB_BLACKHOLE_IP', 53)); t.listen(16)
import threading
held = []
def accept():
    while True:
        c, _ = t.accept(); held.append(c)
threading.Thread(target=accept, daemon=True).start()
while True:
    s.recvfrom(65535)"
}

tier_dns_stop() {
  local dir; dir="$(DNS_DIR)"
  lab_kill "$LAB_DIR/run/dns-blackhole.pid"
  lab_kill "$LAB_DIR/run/unbound-nv.pid"
  lab_kill "$LAB_DIR/run/unbound.pid"
  lab_kill "$dir/nsd.pid"
}

tier_dns_check() {
  dig +time=1 +tries=1 +short @"$LAB_AUTH_IP" test. SOA | grep -q . &&
  dig +time=2 +tries=1 +dnssec @"$LAB_RESOLVER_IP" test. SOA | grep -q 'flags:.* ad' &&
  dig +time=2 +tries=1 +short @"$LAB_NONVALIDATING_IP" test. SOA | grep -q . &&
  lab_pid_alive "$LAB_DIR/run/dns-blackhole.pid"
}
