# PKI tier: a lab root CA and intermediate made with openssl at start-up, and every certificate listed in
# tests/lab/certs/*.list. Trust for the test process comes from SSL_CERT_FILE=$LAB_DIR/pki/trust.pem, never from
# the system store.
#
# certs/*.list, one certificate per line:  <name> [issuer=intermediate|root|self] [validity=valid|expired|future]
#                                          [key=ec256|rsa2048] san=<dns1,dns2,...> [cn=<common name>] [ca=yes]
# Outputs per name in $LAB_DIR/pki: <name>.key, <name>.crt (leaf), <name>.chain.pem (leaf + issuing intermediate),
# <name>.full.pem (leaf + intermediate + root).

PKI_DIR() { echo "$LAB_DIR/pki"; }

pki_newkey() { # <kind> <out>
  case "$1" in
    rsa2048) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$2" 2>/dev/null ;;
    *) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$2" 2>/dev/null ;;
  esac
}

pki_sign() { # <csr> <issuer-name> <days> <extfile> <out> <validity>
  local dir; dir="$(PKI_DIR)"
  local when=""
  case "$6" in
    expired) when='2020-01-01 00:00:00' ;;
    future) when='2036-01-01 00:00:00' ;;
  esac
  local -a cmd=(openssl x509 -req -in "$1" -CA "$dir/$2.crt" -CAkey "$dir/$2.key" -CAcreateserial -CAserial "$dir/serial"
    -days "$3" -sha256 -extfile "$4" -extensions v3 -out "$5")
  if [ -n "$when" ]; then faketime "$when" "${cmd[@]}" 2>/dev/null; else "${cmd[@]}" 2>/dev/null; fi
}

pki_make_ca() {
  local dir; dir="$(PKI_DIR)"
  mkdir -p "$dir"
  pki_newkey ec256 "$dir/lab-root.key"
  openssl req -x509 -new -key "$dir/lab-root.key" -days 3650 -sha256 -subj "/O=MailSecurity Lab/CN=MailSecurity Lab Root CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" -out "$dir/lab-root.crt" 2>/dev/null
  pki_newkey ec256 "$dir/lab-intermediate.key"
  openssl req -new -key "$dir/lab-intermediate.key" -subj "/O=MailSecurity Lab/CN=MailSecurity Lab Intermediate CA" -out "$dir/lab-intermediate.csr" 2>/dev/null
  cat > "$dir/intermediate.ext" <<EXT
[v3]
basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid,issuer
EXT
  pki_sign "$dir/lab-intermediate.csr" lab-root 3000 "$dir/intermediate.ext" "$dir/lab-intermediate.crt" valid
  cp "$dir/lab-root.crt" "$dir/trust.pem"
}

pki_make_cert() { # one line of a certs/*.list file
  local dir; dir="$(PKI_DIR)"
  local name="$1"; shift
  local issuer=intermediate validity=valid key=ec256 san="" cn="" ca=no kv
  for kv in "$@"; do
    case "$kv" in
      issuer=*) issuer="${kv#issuer=}" ;;
      validity=*) validity="${kv#validity=}" ;;
      key=*) key="${kv#key=}" ;;
      san=*) san="${kv#san=}" ;;
      cn=*) cn="${kv#cn=}" ;;
      ca=*) ca="${kv#ca=}" ;;
      *) die "certs: unknown attribute '$kv' for $name" ;;
    esac
  done
  [ -n "$cn" ] || cn="${san%%,*}"
  [ -n "$cn" ] || cn="$name"
  local sanext="" s
  if [ -n "$san" ]; then
    IFS=',' read -ra names <<< "$san"
    for s in "${names[@]}"; do sanext="${sanext:+$sanext,}DNS:$s"; done
  fi
  pki_newkey "$key" "$dir/$name.key"
  {
    echo "[v3]"
    if [ "$ca" = yes ]; then
      echo "basicConstraints=critical,CA:TRUE"
      echo "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"
    else
      echo "basicConstraints=critical,CA:FALSE"
      echo "keyUsage=critical,digitalSignature,keyEncipherment"
      echo "extendedKeyUsage=serverAuth,clientAuth"
    fi
    [ -n "$sanext" ] && echo "subjectAltName=$sanext"
    echo "subjectKeyIdentifier=hash"
    [ "$issuer" = self ] || echo "authorityKeyIdentifier=keyid,issuer"
  } > "$dir/$name.ext"
  openssl req -new -key "$dir/$name.key" -subj "/O=MailSecurity Lab/CN=$cn" -out "$dir/$name.csr" 2>/dev/null
  case "$issuer" in
    self)
      local when=""
      [ "$validity" = expired ] && when='2020-01-01 00:00:00'
      local -a cmd=(openssl x509 -req -in "$dir/$name.csr" -key "$dir/$name.key" -days 825 -sha256 -extfile "$dir/$name.ext" -extensions v3 -out "$dir/$name.crt")
      if [ -n "$when" ]; then faketime "$when" "${cmd[@]}" 2>/dev/null; else "${cmd[@]}" 2>/dev/null; fi
      cp "$dir/$name.crt" "$dir/$name.chain.pem"; cp "$dir/$name.crt" "$dir/$name.full.pem" ;;
    root)
      pki_sign "$dir/$name.csr" lab-root 825 "$dir/$name.ext" "$dir/$name.crt" "$validity"
      cat "$dir/$name.crt" > "$dir/$name.chain.pem"
      cat "$dir/$name.crt" "$dir/lab-root.crt" > "$dir/$name.full.pem" ;;
    intermediate)
      pki_sign "$dir/$name.csr" lab-intermediate 825 "$dir/$name.ext" "$dir/$name.crt" "$validity"
      cat "$dir/$name.crt" "$dir/lab-intermediate.crt" > "$dir/$name.chain.pem"
      cat "$dir/$name.crt" "$dir/lab-intermediate.crt" "$dir/lab-root.crt" > "$dir/$name.full.pem" ;;
    *)
      # Issued by another lab certificate made earlier with ca=yes (a private CA for DANE-TA scenarios).
      [ -f "$dir/$issuer.key" ] || die "certs: issuer '$issuer' of $name is not defined earlier"
      pki_sign "$dir/$name.csr" "$issuer" 825 "$dir/$name.ext" "$dir/$name.crt" "$validity"
      cat "$dir/$name.crt" "$dir/$issuer.crt" > "$dir/$name.chain.pem"
      cat "$dir/$name.crt" "$dir/$issuer.crt" > "$dir/$name.full.pem" ;;
  esac
  [ -s "$dir/$name.crt" ] || die "certs: could not make $name"
  rm -f "$dir/$name.csr"
}

tier_pki_prepare() {
  pki_make_ca
  local f line
  for f in "$LAB_SRC"/certs/*.list; do
    [ -f "$f" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      line="${line%%#*}"
      [ -n "${line// /}" ] || continue
      # shellcheck disable=SC2086
      pki_make_cert $line
    done < "$f"
  done
  chmod 644 "$(PKI_DIR)"/*.crt "$(PKI_DIR)"/*.pem
  chmod 640 "$(PKI_DIR)"/*.key
}

tier_pki_start() { :; }
tier_pki_stop() { :; }
tier_pki_check() { [ -s "$LAB_DIR/pki/trust.pem" ]; }
