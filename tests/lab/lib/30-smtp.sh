# SMTP tier: one Postfix instance ("postfix -c $LAB_DIR/smtp/conf") with one smtpd listener per scenario of
# tests/lab/smtp/listeners.list on $LAB_NET.25.K, each with its own certificate chain and TLS settings. It never
# relays and never delivers: every recipient is rejected (the tests never send mail anyway).

SMTP_DIR() { echo "$LAB_DIR/smtp"; }

# Prints "address port name tls extra..." per listener, comments and blank lines dropped.
smtp_listeners() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%%#*}"
    [ -n "${line// /}" ] || continue
    echo "$line"
  done < "$LAB_SRC/smtp/listeners.list"
}

smtp_listener_addr() { # <K>[:port] -> "ip port"
  local k="${1%%:*}" port=25
  [[ "$1" == *:* ]] && port="${1#*:}"
  echo "$LAB_NET.25.$k $port"
}

tier_smtp_prepare() {
  local dir; dir="$(SMTP_DIR)"
  local pki; pki="$LAB_DIR/pki"
  mkdir -p "$dir/conf" "$dir/queue" "$dir/data"
  local addrs="" spec name tls extra ip port
  while read -r spec name tls extra; do
    read -r ip port <<< "$(smtp_listener_addr "$spec")"
    case " $addrs " in *" $ip "*) ;; *) addrs="${addrs:+$addrs, }$ip" ;; esac
  done < <(smtp_listeners)

  cat > "$dir/conf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
shlib_directory = /usr/lib/postfix
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = valid.mx.smtp.test
mydomain = smtp.test
myorigin = \$myhostname
mydestination =
relay_domains =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:local delivery is disabled in the lab
default_transport = error:the lab never relays
# The listeners bind their own addresses in master.cf. inet_interfaces must name addresses that sit on an
# interface, and 127.N.25.K only exist through lo's 127/8 route, so Postfix learns them as proxy_interfaces instead.
inet_interfaces = loopback-only
proxy_interfaces = $addrs
inet_protocols = ipv4
mynetworks = 127.255.255.255/32
smtpd_relay_restrictions = reject
smtpd_recipient_restrictions = reject
smtpd_banner = \$myhostname ESMTP MailSecurity lab
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_tls_received_header = yes
smtpd_sasl_auth_enable = no
maillog_file = $dir/postfix.log
maillog_file_prefixes = $dir
CONF

  {
    echo "# Generated from tests/lab/smtp/listeners.list by tests/lab/lib/30-smtp.sh"
    while read -r spec name tls extra; do
      read -r ip port <<< "$(smtp_listener_addr "$spec")"
      local opts="-o syslog_name=lab/$name"
      case "$tls" in
        chain=*) opts="$opts -o smtpd_tls_chain_files=$pki/${tls#chain=}.key,$pki/${tls#chain=}.chain.pem" ;;
        leaf=*) opts="$opts -o smtpd_tls_chain_files=$pki/${tls#leaf=}.key,$pki/${tls#leaf=}.crt" ;;
        none) opts="$opts -o smtpd_tls_security_level=none" ;;
        *) die "listeners.list: unknown TLS spec '$tls' for $name" ;;
      esac
      local kv
      for kv in $extra; do opts="$opts -o $kv"; done
      echo "$ip:$port inet n - n - - smtpd $opts"
    done < <(smtp_listeners)
    cat <<'MASTER'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
  } > "$dir/conf/master.cf"
  chown -R postfix "$dir/data"
  chmod 755 "$dir" "$dir/conf"
  postfix -c "$dir/conf" check >> "$dir/check.log" 2>&1 || die "postfix check failed (see $dir/check.log)"
}

tier_smtp_start() {
  local dir; dir="$(SMTP_DIR)"
  postfix -c "$dir/conf" start >> "$dir/start.log" 2>&1 || die "postfix did not start (see $dir/start.log and $dir/postfix.log)"
}

tier_smtp_stop() {
  local dir; dir="$(SMTP_DIR)"
  [ -f "$dir/conf/main.cf" ] || return 0
  postfix -c "$dir/conf" stop >/dev/null 2>&1 || true
  local i
  for i in $(seq 1 30); do
    postfix -c "$dir/conf" status >/dev/null 2>&1 || return 0
    sleep 0.1
  done
  postfix -c "$dir/conf" abort >/dev/null 2>&1 || true
}

tier_smtp_check() {
  local dir; dir="$(SMTP_DIR)"
  postfix -c "$dir/conf" status >/dev/null 2>&1 || return 1
  local spec name tls extra ip port
  while read -r spec name tls extra; do
    read -r ip port <<< "$(smtp_listener_addr "$spec")"
    "$PY" - "$ip" "$port" <<'PYCHECK' || return 1
import socket, ssl, sys
ip, port = sys.argv[1], int(sys.argv[2])
s = socket.create_connection((ip, port), timeout=2)
if port == 465:
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    s = ctx.wrap_socket(s)
ok = s.recv(512).startswith(b"220")
try:
    s.sendall(b"QUIT\r\n"); s.recv(512)
except OSError:
    pass
s.close()
sys.exit(0 if ok else 1)
PYCHECK
  done < <(smtp_listeners)
}
