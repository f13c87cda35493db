#!/usr/bin/python3
"""Renders a lab zone fragment: adds SOA/NS and replaces placeholders computed from the lab PKI.

  {{TLSA <cert-name> <usage> <selector> <mtype>}}  -> "<usage> <selector> <mtype> <hex>" from $LAB_DIR/pki/<cert-name>.crt
  {{TLSA-WRONG <usage> <selector> <mtype>}}        -> a well-formed association that matches nothing
  {{DKIM-RSA <key-name> <bits>}}                   -> the base64 SubjectPublicKeyInfo of an RSA key made (once) in $LAB_DIR/pki
  {{DKIM-ED25519 <key-name>}}                      -> the base64 raw 32-byte Ed25519 public key (RFC 8463)
  {{NET}}                                          -> the lab's first two octets (127.0 unless MAILSECURITY_LAB_NET;
                                                      MAILSECURITY_LAB_FRONT_NET when set, for the bench's delay proxies)
A quoted character-string longer than 255 bytes after rendering (typically a 2048-bit DKIM key with its tags) is
split into adjacent <=255-byte strings of the same TXT record (RFC 1035 §3.3.14); SPF, DKIM, DMARC and BIMI join
them with nothing between, so the record means the same. Long literal data may still be split by hand.
"""
import base64, hashlib, os, re, subprocess, sys

pki = os.path.join(os.environ["LAB_DIR"], "pki")


def der_cert(name):
    return subprocess.run(["openssl", "x509", "-in", os.path.join(pki, name + ".crt"), "-outform", "DER"],
                          check=True, capture_output=True).stdout


def der_spki(name):
    pem = subprocess.run(["openssl", "x509", "-in", os.path.join(pki, name + ".crt"), "-pubkey", "-noout"],
                         check=True, capture_output=True).stdout
    return subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pem,
                          check=True, capture_output=True).stdout


def association(data, mtype):
    if mtype == 0:
        return data.hex().upper()
    if mtype == 1:
        return hashlib.sha256(data).hexdigest().upper()
    if mtype == 2:
        return hashlib.sha512(data).hexdigest().upper()
    raise ValueError("matching type %d" % mtype)


def tlsa(m):
    name, u, s, mt = m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))
    data = der_cert(name) if s == 0 else der_spki(name)
    return "%d %d %d %s" % (u, s, mt, association(data, mt))


def tlsa_wrong(m):
    u, s, mt = int(m.group(1)), int(m.group(2)), int(m.group(3))
    data = hashlib.sha256(b"matches nothing").digest()
    return "%d %d %d %s" % (u, s, mt, association(data, mt) if mt else data.hex().upper())


def dkim_key(name, kind, bits=2048):
    path = os.path.join(pki, "dkim-" + name + ".key")
    if not os.path.exists(path):
        if kind == "rsa":
            args = ["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:%d" % bits, "-out", path]
        else:
            args = ["openssl", "genpkey", "-algorithm", "ED25519", "-out", path]
        subprocess.run(args, check=True, capture_output=True)
    der = subprocess.run(["openssl", "pkey", "-in", path, "-pubout", "-outform", "DER"], check=True, capture_output=True).stdout
    if kind == "ed25519":
        der = der[-32:]  # raw key: RFC 8463 §4
    return base64.b64encode(der).decode()


def dkim_rsa(m):
    return dkim_key(m.group(1), "rsa", int(m.group(2)))


def dkim_ed(m):
    return dkim_key(m.group(1), "ed25519")


def split_long_strings(text):
    """Splits every quoted string longer than 255 bytes (escapes \\DDD and \\X count as one byte) outside comments."""
    out = []
    for line in text.split("\n"):
        result, i, n = [], 0, len(line)
        while i < n:
            c = line[i]
            if c == ";":
                result.append(line[i:])
                break
            if c != '"':
                result.append(c)
                i += 1
                continue
            tokens, i = [], i + 1
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 3 < n and line[i + 1:i + 4].isdigit():
                    tokens.append((line[i:i + 4], 1)); i += 4
                elif line[i] == "\\" and i + 1 < n:
                    tokens.append((line[i:i + 2], 1)); i += 2
                else:
                    tokens.append((line[i], len(line[i].encode("utf-8")))); i += 1
            i += 1  # closing quote
            chunks, cur, size = [], [], 0
            for tok, length in tokens:
                if size + length > 255:
                    chunks.append("".join(cur)); cur, size = [], 0
                cur.append(tok); size += length
            chunks.append("".join(cur))
            result.append(" ".join('"%s"' % ch for ch in chunks))
        out.append("".join(result))
    return "\n".join(out)


def render(text):
    text = text.replace("{{NET}}", os.environ.get("LAB_FRONT_NET") or os.environ.get("LAB_NET", "127.0"))
    text = re.sub(r"\{\{TLSA\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\}\}", tlsa, text)
    text = re.sub(r"\{\{TLSA-WRONG\s+(\d+)\s+(\d+)\s+(\d+)\s*\}\}", tlsa_wrong, text)
    text = re.sub(r"\{\{DKIM-RSA\s+(\S+)\s+(\d+)\s*\}\}", dkim_rsa, text)
    text = re.sub(r"\{\{DKIM-ED25519\s+(\S+)\s*\}\}", dkim_ed, text)
    left = re.search(r"\{\{[^}]*\}\}", text)
    if left:
        sys.exit("unknown placeholder: " + left.group(0))
    return split_long_strings(text)


def main():
    src, dst, origin, ttl, serial = sys.argv[1:6]
    with open(src) as f:
        body = render(f.read())
    with open(dst, "w") as f:
        f.write("$ORIGIN %s.\n$TTL %s\n" % (origin, ttl))
        f.write("@ IN SOA ns.test. hostmaster.test. %s 3600 900 604800 60\n" % serial)
        f.write("@ IN NS ns.test.\n")
        f.write(body)
        f.write("\n")


if __name__ == "__main__":
    main()
