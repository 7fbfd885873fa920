#!/usr/bin/env bash
# --login spn: client secret (flags and kubelogin's environment variables),
# client certificate as PEM and as PFX, the assertion verified by fake-entra
# (PS256 signature against the registered certificate, x5t#S256, aud, jti,
# lifetime); never asks anyone; typical failures and bad input.
source "$(dirname "$0")/lib.sh"
start_entra
use_test_ca
APP=0b3c1d2e-7f6a-4b5c-9d8e-1a2b3c4d5e6f
BASE=(--login spn --tenant-id "$TENANT" --server-id "$SERVER_ID" --authority-host "$ENTRA_URL" --cache-dir "$CACHE_DIR")
batch() { KUBERNETES_EXEC_INFO=$EXEC_INFO_BATCH aks_token get-token "$@"; }

# Secret, in a session that is not interactive: nobody is asked.
entra_control config '{"client_secret":"s3cret-value"}' >/dev/null
batch -v 9 "${BASE[@]}" --client-id "$APP" --client-secret s3cret-value >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "spn with secret: $(cat "$WORK/err")"
jq -e '.status.token | length > 20' "$WORK/out" >/dev/null || fail "no token printed"
assert_eq 1 "$(entra_counter .token.client_credentials)" "client_credentials requests"
jq -e '.refresh_token == null or .refresh_token == ""' "$(cache_file)" >/dev/null || fail "spn must store no refresh token"
grep -q "aks-token: .*spn login" "$WORK/err" || fail "-v 9 logs the identity: $(cat "$WORK/err")"
grep -q s3cret-value "$(cache_file)" "$WORK/err" && fail "the secret must not be stored or printed"
assert_no_token_in "$WORK/err"
# Cache hit: no second request.
batch "${BASE[@]}" --client-id "$APP" --client-secret s3cret-value >"$WORK/out2" 2>/dev/null </dev/null || fail "cache hit"
assert_eq "$(jq -r .status.token "$WORK/out")" "$(jq -r .status.token "$WORK/out2")" "cached token"
assert_eq 1 "$(entra_counter .token.client_credentials)" "client_credentials requests after a cache hit"
pass "spn with a client secret, no prompt, cached"

# kubelogin's environment variables.
rm -rf "$CACHE_DIR"
AAD_SERVICE_PRINCIPAL_CLIENT_ID=$APP AAD_SERVICE_PRINCIPAL_CLIENT_SECRET=s3cret-value \
    batch "${BASE[@]}" >"$WORK/out" 2>"$WORK/err" </dev/null || fail "spn from AAD_SERVICE_PRINCIPAL_*: $(cat "$WORK/err")"
rm -rf "$CACHE_DIR"
AZURE_CLIENT_ID=$APP AZURE_CLIENT_SECRET=s3cret-value \
    batch "${BASE[@]}" >"$WORK/out" 2>"$WORK/err" </dev/null || fail "spn from AZURE_CLIENT_*: $(cat "$WORK/err")"
pass "spn from environment variables"

# Typical failure: a wrong secret, with Entra's code and the advice line.
rm -rf "$CACHE_DIR"
expect_one_line_error "7000215.*secret" batch "${BASE[@]}" --client-id "$APP" --client-secret wrong
grep -q wrong "$WORK/xerr.err" && fail "the secret must not be echoed"
pass "wrong secret: AADSTS7000215 with advice"

# Certificates: PEM (certificate + key) and PFX with a password.
make_client_cert good 'pfx pass'
make_client_cert other ''
entra_control config "$(jq -n --rawfile c "$WORK/good-cert.pem" '{client_certificate: $c}')" >/dev/null
before=$(entra_counter .token.client_credentials)
batch "${BASE[@]}" --client-id "$APP" --client-certificate "$WORK/good.pem" >"$WORK/out" 2>"$WORK/err" </dev/null ||
    fail "spn with a PEM certificate: $(cat "$WORK/err")"
assert_eq $((before + 1)) "$(entra_counter .token.client_credentials)" "assertion requests"
rm -rf "$CACHE_DIR"
batch "${BASE[@]}" --client-id "$APP" --client-certificate "$WORK/good.pfx" --client-certificate-password 'pfx pass' \
    >"$WORK/out" 2>"$WORK/err" </dev/null || fail "spn with a PFX certificate: $(cat "$WORK/err")"
rm -rf "$CACHE_DIR"
AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE=$WORK/good.pfx AAD_SERVICE_PRINCIPAL_CLIENT_CERTIFICATE_PASSWORD='pfx pass' \
    batch "${BASE[@]}" --client-id "$APP" >"$WORK/out" 2>"$WORK/err" </dev/null || fail "spn with a PFX from env: $(cat "$WORK/err")"
pass "spn with PEM and PFX certificates (PS256 assertion verified by fake-entra)"

# A certificate that is not registered: Entra's 700027.
rm -rf "$CACHE_DIR"
expect_one_line_error "700027" batch "${BASE[@]}" --client-id "$APP" --client-certificate "$WORK/other.pem"
pass "unregistered certificate refused"

# Bad input: nothing written, one line.
rm -rf "$CACHE_DIR"
expect_one_line_error "client-secret or --client-certificate" batch "${BASE[@]}" --client-id "$APP"
expect_one_line_error "cannot read --client-certificate" batch "${BASE[@]}" --client-id "$APP" --client-certificate "$WORK/missing.pem"
chmod 000 "$WORK/good.pfx"
if [[ $(id -u) != 0 ]]; then
    expect_one_line_error "cannot read --client-certificate" batch "${BASE[@]}" --client-id "$APP" --client-certificate "$WORK/good.pfx"
fi
chmod 600 "$WORK/good.pfx"
expect_one_line_error "wrong --client-certificate-password" batch "${BASE[@]}" --client-id "$APP" \
    --client-certificate "$WORK/good.pfx" --client-certificate-password nope
grep -q nope "$WORK/xerr.err" && fail "the password must not be echoed"
expect_one_line_error "no readable private key" batch "${BASE[@]}" --client-id "$APP" --client-certificate "$WORK/good-cert.pem"
echo "not a certificate" >"$WORK/junk.pem"
expect_one_line_error "neither a PEM" batch "${BASE[@]}" --client-id "$APP" --client-certificate "$WORK/junk.pem"
[[ ! -e $CACHE_DIR ]] || fail "bad input must not create the cache"
pass "spn bad input: one-line errors, nothing written"
