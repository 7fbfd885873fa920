#!/usr/bin/env bash
# Creates a throw-away test PKI in DIR: a CA (ca.pem, ca-key.pem) and a
# loopback server certificate it signed (server.pem, server-key.pem) for
# localhost, 127.0.0.1 and ::1, valid for one day. EC P-256 keys, mode 0600.
# Idempotent: an existing set that is complete and valid for another hour is
# kept. Quiet unless something fails. Never commit the output (*.pem is ignored).
set -euo pipefail

if (($# != 1)); then
    echo "usage: make-pki.sh DIR" >&2
    exit 2
fi
dir=$1
command -v openssl >/dev/null || { echo "make-pki.sh: openssl not found" >&2; exit 1; }

mkdir -p "$dir"
chmod 700 "$dir"

complete() {
    local f
    for f in ca.pem ca-key.pem server.pem server-key.pem; do [[ -s $dir/$f ]] || return 1; done
    openssl x509 -in "$dir/server.pem" -noout -checkend 3600 >/dev/null 2>&1 || return 1
    openssl x509 -in "$dir/ca.pem" -noout -checkend 3600 >/dev/null 2>&1 || return 1
    openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" >/dev/null 2>&1
}
complete && exit 0

# Build in a private temp dir, then move into place, so a concurrent reader
# never sees a half-written set.
tmp=$(mktemp -d "$dir/.pki.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
umask 077
log=$tmp/openssl.log

run() { "$@" >>"$log" 2>&1 || { echo "make-pki.sh: failed: $*" >&2; cat "$log" >&2; exit 1; }; }

run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ca-key.pem"
run openssl req -x509 -new -key "$tmp/ca-key.pem" -sha256 -days 1 -subj "/CN=aks-auth test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out "$tmp/ca.pem"

run openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/server-key.pem"
run openssl req -new -key "$tmp/server-key.pem" -subj "/CN=localhost" -out "$tmp/server.csr"
cat >"$tmp/server.ext" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash
EXT
run openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" \
    -CAcreateserial -days 1 -sha256 -extfile "$tmp/server.ext" -out "$tmp/server.pem"

chmod 600 "$tmp/ca-key.pem" "$tmp/server-key.pem"
chmod 644 "$tmp/ca.pem" "$tmp/server.pem"
# Keys first, certificates last: complete() checks the certificates.
for f in ca-key.pem server-key.pem ca.pem server.pem; do mv -f "$tmp/$f" "$dir/$f"; done
