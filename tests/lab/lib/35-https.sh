# HTTPS tier: one nginx (own config and prefix under $LAB_DIR/https, no system configuration) on $LAB_NET.44.1:443
# serving MTA-STS policy hosts by SNI, one server block per line of tests/lab/https/vhosts.list. Unknown names get the
# default server (certificate for default.invalid, 404), as a real shared host would answer.
LAB_HTTPS_IP=$LAB_NET.44.1

HTTPS_DIR() { echo "$LAB_DIR/https"; }

https_vhost_conf() { # one vhosts.list line -> a server block; writes the body file
  local dir pki host="$1"; shift
  dir="$(HTTPS_DIR)"; pki="$LAB_DIR/pki"
  local cert="" body="" type="text/plain" status=200 location="" eol=lf pad="" kv
  for kv in "$@"; do
    case "$kv" in
      cert=*) cert="${kv#cert=}" ;;
      body=*) body="${kv#body=}" ;;
      type=*) type="${kv#type=}" ;;
      status=*) status="${kv#status=}" ;;
      location=*) location="${kv#location=}" ;;
      eol=*) eol="${kv#eol=}" ;;
      pad=*) pad="${kv#pad=}" ;;
      *) die "https: unknown attribute '$kv' for $host" ;;
    esac
  done
  [ -n "$cert" ] && [ -f "$pki/$cert.chain.pem" ] || die "https: $host needs cert=<name> from certs/*.list"
  local file="$dir/www/$host.txt"
  if [ -n "$body" ]; then
    [ -f "$LAB_SRC/https/bodies/$body" ] || die "https: body $body of $host not found"
    if [ "$eol" = crlf ]; then sed 's/$/\r/' "$LAB_SRC/https/bodies/$body" > "$file"; else cp "$LAB_SRC/https/bodies/$body" "$file"; fi
    if [ -n "$pad" ]; then
      local size; size="$(stat -c %s "$file")"
      [ "$pad" -gt "$size" ] && head -c "$((pad - size))" /dev/zero | tr '\0' 'a' >> "$file"
    fi
    chmod 644 "$file"
  fi
  cat <<CONF
  server {
    listen $LAB_HTTPS_IP:443 ssl;
    server_name $host;
    ssl_certificate $pki/$cert.chain.pem;
    ssl_certificate_key $pki/$cert.key;
    location = /.well-known/mta-sts.txt {
CONF
  if [ "$status" -ge 300 ] && [ "$status" -lt 400 ]; then
    echo "      return $status $location;"
  elif [ "$status" != 200 ]; then
    echo "      return $status;"
  else
    [ -n "$body" ] || die "https: $host answers 200 but has no body="
    echo "      types { }"
    echo "      default_type \"$type\";"
    echo "      alias $file;"
  fi
  cat <<CONF
    }
    location / { return 404; }
  }
CONF
}

tier_https_prepare() {
  local dir; dir="$(HTTPS_DIR)"
  mkdir -p "$dir/www" "$dir/logs" "$dir/tmp"
  chmod 755 "$dir" "$dir/www"
  {
    echo "worker_processes 1;"
    echo "pid $dir/nginx.pid;"
    echo "error_log $dir/logs/error.log warn;"
    echo "events { worker_connections 256; }"
    echo "http {"
    echo "  access_log $dir/logs/access.log;"
    echo "  client_body_temp_path $dir/tmp/body;"
    echo "  proxy_temp_path $dir/tmp/proxy;"
    echo "  fastcgi_temp_path $dir/tmp/fastcgi;"
    echo "  uwsgi_temp_path $dir/tmp/uwsgi;"
    echo "  scgi_temp_path $dir/tmp/scgi;"
    echo "  server_tokens off;"
    echo "  etag off;"
    # TLS 1.2 and 1.3 only, as RFC 8461 §7.2 requires of policy hosts.
    echo "  ssl_protocols TLSv1.2 TLSv1.3;"
    echo "  server {"
    echo "    listen $LAB_HTTPS_IP:443 ssl default_server;"
    echo "    server_name _;"
    echo "    ssl_certificate $LAB_DIR/pki/https-default.chain.pem;"
    echo "    ssl_certificate_key $LAB_DIR/pki/https-default.key;"
    echo "    return 404;"
    echo "  }"
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      line="${line%%#*}"
      [ -n "${line// /}" ] || continue
      # shellcheck disable=SC2086
      https_vhost_conf $line
    done < "$LAB_SRC/https/vhosts.list"
    echo "}"
  } > "$dir/nginx.conf"
  nginx -t -q -c "$dir/nginx.conf" -p "$dir" -g 'daemon off;' 2>"$dir/logs/check.log" || die "nginx.conf invalid: $(cat "$dir/logs/check.log")"
}

tier_https_start() {
  local dir; dir="$(HTTPS_DIR)"
  command -v nginx >/dev/null 2>&1 || die "nginx is missing (apt-get install nginx)"
  lab_spawn nginx nginx -c "$dir/nginx.conf" -p "$dir" -g 'daemon off;'
}

tier_https_stop() {
  lab_kill "$LAB_DIR/run/nginx.pid"
}

tier_https_check() {
  lab_pid_alive "$LAB_DIR/run/nginx.pid" && timeout 2 bash -c "exec 3<>/dev/tcp/$LAB_HTTPS_IP/443" 2>/dev/null
}
