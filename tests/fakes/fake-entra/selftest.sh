#!/usr/bin/env bash
# Self-test of fake-entra's contract (wire format and control API), with
# curl, jq and openssl only. Run by ctest as fakes.fake_entra_selftest.
set -euo pipefail

SRC=${AKS_SOURCE_DIR:-$(cd "$(dirname "$0")/../../.." && pwd)}
BIN=${AKS_BIN_DIR:-$SRC/build/bin}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fake-entra-selftest.XXXXXX")
pid=
cleanup() {
    local status=$?
    [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
    ((status == 0)) || { echo "--- fake-entra log" >&2; tail -n 20 "$WORK/entra.log" >&2 || true; }
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
expect() { [[ $1 == "$2" ]] || fail "$3: expected '$1', got '$2'"; }

bash "$SRC/tests/fakes/make-pki.sh" "$WORK/pki"
[[ $(stat -c %a "$WORK/pki/server-key.pem") == 600 ]] || fail "server key is not 0600"
TENANT=72f988bf-86f1-41af-91ab-2d7cd011db47
CLIENT=80faf920-1908-4b52-b5ef-a8e7bedfc67a
SERVER=6dae42f8-4368-4678-94ff-3960e28e3630
DC_GRANT=urn:ietf:params:oauth:grant-type:device_code

"$BIN/fake-entra" --cert "$WORK/pki/server.pem" --key "$WORK/pki/server-key.pem" \
    --port-file "$WORK/port" --tenant "$TENANT" >"$WORK/entra.log" 2>&1 &
pid=$!
for ((i = 0; i < 200; i++)); do [[ -s $WORK/port ]] && break; sleep 0.05; done
[[ -s $WORK/port ]] || fail "fake-entra did not write its port file"
URL=https://127.0.0.1:$(cat "$WORK/port")

curl_() { curl -sS --cacert "$WORK/pki/ca.pem" "$@"; }
# status BODY_FILE curl-args...: prints the HTTP status, body to BODY_FILE
call() { local out=$1; shift; curl_ -o "$out" -w '%{http_code}' "$@"; }
control() { if (($# > 1)); then curl_ -fS -d "$2" "$URL/_control/$1"; else curl_ -fS "$URL/_control/$1"; fi; }
devicecode() {
    curl_ -fS -d client_id=$CLIENT --data-urlencode "scope=$SERVER/.default openid offline_access profile" \
        "$URL/$TENANT/oauth2/v2.0/devicecode"
}
poll() { call "$WORK/poll.json" -d client_id=$CLIENT -d grant_type=$DC_GRANT -d "device_code=$1" "$URL/$TENANT/oauth2/v2.0/token"; }
b64url_decode() {
    local s=${1//_//}
    s=${s//-/+}
    while ((${#s} % 4)); do s+='='; done
    printf %s "$s" | base64 -d
}

# --- device code: pending, approve, redeem once
dc=$(devicecode)
expect "https://127.0.0.1:$(cat "$WORK/port")/devicelogin" "$(jq -r .verification_uri <<<"$dc")" verification_uri
expect 900 "$(jq -r .expires_in <<<"$dc")" expires_in
expect 5 "$(jq -r .interval <<<"$dc")" interval
user_code=$(jq -r .user_code <<<"$dc")
jq -r .message <<<"$dc" | grep -q "enter the code $user_code to authenticate" || fail "message"
code=$(jq -r .device_code <<<"$dc")
expect 400 "$(poll "$code")" "pending status"
expect authorization_pending "$(jq -r .error "$WORK/poll.json")" "pending error"
expect 70016 "$(jq -r '.error_codes[0]' "$WORK/poll.json")" "pending code"
jq -r .error_description "$WORK/poll.json" | grep -q $'^AADSTS70016: .*\r$' || fail "error_description shape"
jq -e '.trace_id and .correlation_id and .timestamp and .error_uri' "$WORK/poll.json" >/dev/null || fail "error fields"
expect "$user_code" "$(control pending | jq -r '.pending[0]')" "pending list"
expect 1 "$(control approve "{\"user_code\":\"$user_code\"}" | jq -r .approved)" "approve"
expect 200 "$(poll "$code")" "approved poll"
jq -e '.token_type == "Bearer" and .expires_in == 3600 and .ext_expires_in == 3600 and
       (.refresh_token | length) > 0 and (.id_token | length) > 0' "$WORK/poll.json" >/dev/null ||
    fail "token response fields"
cp "$WORK/poll.json" "$WORK/token.json"
expect 400 "$(poll "$code")" "second redemption"
expect bad_verification_code "$(jq -r .error "$WORK/poll.json")" "second redemption error"

# --- the access token verifies against the JWKS (openssl only) and has v1 claims
at=$(jq -r .access_token "$WORK/token.json")
IFS=. read -r h p s <<<"$at"
control_kid=$(b64url_decode "$h" | jq -r .kid)
curl_ -fS "$URL/common/discovery/keys" >"$WORK/jwks.json"
jq -e --arg kid "$control_kid" '.keys[] | select(.kid == $kid and .kty == "RSA" and .alg == "RS256" and .use == "sig")' \
    "$WORK/jwks.json" >/dev/null || fail "kid not in JWKS"
hexof() { b64url_decode "$1" | od -An -v -tx1 | tr -d ' \n'; }
cat >"$WORK/rsa.conf" <<EOF
asn1=SEQUENCE:rsa
[rsa]
n=INTEGER:0x$(hexof "$(jq -r '.keys[0].n' "$WORK/jwks.json")")
e=INTEGER:0x$(hexof "$(jq -r '.keys[0].e' "$WORK/jwks.json")")
EOF
openssl asn1parse -genconf "$WORK/rsa.conf" -out "$WORK/rsa.der" -noout
openssl rsa -RSAPublicKey_in -inform DER -in "$WORK/rsa.der" -pubout -out "$WORK/rsa-pub.pem" 2>/dev/null
printf %s "$h.$p" >"$WORK/signed"
b64url_decode "$s" >"$WORK/sig"
openssl dgst -sha256 -verify "$WORK/rsa-pub.pem" -signature "$WORK/sig" "$WORK/signed" >/dev/null ||
    fail "access token signature does not verify with the JWKS"
b64url_decode "$p" | jq -e --arg t "$TENANT" --arg aud "$SERVER" --arg app "$CLIENT" '
    .aud == $aud and .iss == "https://sts.windows.net/\($t)/" and .tid == $t and .appid == $app and
    .upn == "alice@contoso.example" and .unique_name == .upn and .ver == "1.0" and
    .scp == "user_impersonation" and (.groups | length) == 2 and .exp - .iat == 3600' >/dev/null ||
    fail "access token claims"
curl_ -fS "$URL/$TENANT/v2.0/.well-known/openid-configuration" |
    jq -e --arg u "$URL" --arg t "$TENANT" '.issuer == "\($u)/\($t)/v2.0" and
        .device_authorization_endpoint == "\($u)/\($t)/oauth2/v2.0/devicecode" and
        .jwks_uri == "\($u)/\($t)/discovery/v2.0/keys"' >/dev/null || fail "discovery document"

# --- refresh rotation
rt1=$(jq -r .refresh_token "$WORK/token.json")
refresh() { call "$WORK/refresh.json" -d client_id=$CLIENT -d grant_type=refresh_token --data-urlencode "refresh_token=$1" "$URL/$TENANT/oauth2/v2.0/token"; }
expect 200 "$(refresh "$rt1")" "refresh"
rt2=$(jq -r .refresh_token "$WORK/refresh.json")
[[ -n $rt2 && $rt2 != "$rt1" ]] || fail "refresh token not rotated"
expect 400 "$(refresh "$rt1")" "old refresh token"
expect invalid_grant "$(jq -r .error "$WORK/refresh.json")" "old refresh token error"
expect 70043 "$(jq -r '.error_codes[0]' "$WORK/refresh.json")" "old refresh token code"

# --- faults: 429 with Retry-After once, then normal; slow_down only hits device code polls
control fault '{"path_contains":"/token","status":429,"retry_after":"1"}' >/dev/null
headers=$(curl_ -D - -o /dev/null -d client_id=$CLIENT -d grant_type=refresh_token --data-urlencode "refresh_token=$rt2" \
    "$URL/$TENANT/oauth2/v2.0/token")
grep -q '^HTTP/1.1 429' <<<"$headers" || fail "fault status"
grep -qi '^Retry-After: 1' <<<"$headers" || fail "Retry-After header"
expect 200 "$(refresh "$rt2")" "refresh after the fault"
control fault '{"slow_down":true}' >/dev/null
expect 200 "$(refresh "$(jq -r .refresh_token "$WORK/refresh.json")")" "refresh passes a slow_down fault"
code=$(devicecode | jq -r .device_code)
poll "$code" >/dev/null
expect slow_down "$(jq -r .error "$WORK/poll.json")" "slow_down"
control fault '{"path_contains":"/devicecode","status":502,"content_type":"text/html","body":"<html>Bad Gateway</html>"}' >/dev/null
expect 502 "$(call "$WORK/html" -d client_id=$CLIENT -d scope=x "$URL/$TENANT/oauth2/v2.0/devicecode")" "HTML fault"
expect "<html>Bad Gateway</html>" "$(cat "$WORK/html")" "HTML fault body"
counters=$(control counters)
expect 3 "$(jq -r .faults_served <<<"$counters")" "faults_served"
expect 3 "$(jq -r .devicecode <<<"$counters")" "devicecode counter"
expect 4 "$(jq -r .token.device_code <<<"$counters")" "device_code polls counter"

# --- decline, expire, auto-approve, string numbers
control config '{"auto_approve_after":1,"interval":0,"string_numbers":true}' >/dev/null
dc=$(devicecode)
expect '"0"' "$(jq -c .interval <<<"$dc")" "string interval"
code=$(jq -r .device_code <<<"$dc")
expect 400 "$(poll "$code")" "auto-approve first poll"
expect 200 "$(poll "$code")" "auto-approve second poll"
expect '"3600"' "$(jq -c .expires_in "$WORK/poll.json")" "string expires_in"
control config '{"auto_approve_after":-1}' >/dev/null
dc=$(devicecode)
code=$(jq -r .device_code <<<"$dc")
expect 1 "$(control decline "{\"user_code\":\"$(jq -r .user_code <<<"$dc")\"}" | jq -r .declined)" "decline one"
poll "$code" >/dev/null
expect authorization_declined "$(jq -r .error "$WORK/poll.json")" "declined"
code=$(devicecode | jq -r .device_code)
# {} expires every live code: this one and the one left pending by the slow_down test.
expect 2 "$(control expire '{}' | jq -r .expired)" "expire all"
poll "$code" >/dev/null
expect expired_token "$(jq -r .error "$WORK/poll.json")" "expired"
expect 70020 "$(jq -r '.error_codes[0]' "$WORK/poll.json")" "expired code"

# --- authorization code + PKCE S256
verifier=$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')
challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
redirect=http://localhost:45678/
location=$(curl_ -o /dev/null -w '%{redirect_url}' -G -d client_id=$CLIENT -d response_type=code \
    --data-urlencode redirect_uri=$redirect --data-urlencode "scope=$SERVER/.default offline_access" \
    -d state=xyz -d code_challenge="$challenge" -d code_challenge_method=S256 "$URL/$TENANT/oauth2/v2.0/authorize")
[[ $location == "$redirect?code="*"&state=xyz"* ]] || fail "authorize redirect: $location"
authcode=$(sed -E 's/.*[?&]code=([^&]*).*/\1/' <<<"$location")
redeem() { call "$WORK/ac.json" -d client_id=$CLIENT -d grant_type=authorization_code -d "code=$authcode" \
    --data-urlencode redirect_uri=$redirect -d "code_verifier=$1" "$URL/$TENANT/oauth2/v2.0/token"; }
expect 400 "$(redeem wrong-verifier)" "PKCE mismatch"
expect 200 "$(redeem "$verifier")" "PKCE redemption"
expect 400 "$(redeem "$verifier")" "authorization code reuse"

# --- client credentials: no refresh token, app-only claims
expect 200 "$(call "$WORK/cc.json" -d client_id=my-app -d client_secret=s -d grant_type=client_credentials \
    --data-urlencode "scope=$SERVER/.default" "$URL/$TENANT/oauth2/v2.0/token")" "client credentials"
jq -e 'has("refresh_token") | not' "$WORK/cc.json" >/dev/null || fail "client credentials gave a refresh token"
expect 401 "$(call "$WORK/cc.json" -d client_id=my-app -d grant_type=client_credentials \
    --data-urlencode "scope=$SERVER/.default" "$URL/$TENANT/oauth2/v2.0/token")" "no secret"

# --- fault kinds, one endpoint's queue, AADSTS by number, clear
token_url="$URL/$TENANT/oauth2/v2.0/token"
post_token() { curl_ -o "$WORK/kind.out" -w '%{http_code}' -d grant_type=refresh_token -d client_id=$CLIENT -d refresh_token=x "$token_url"; }
control fault '{"endpoint":"devicecode","status":500}' >/dev/null
control fault '{"endpoint":"token","kind":"reset"}' >/dev/null
rc=0; post_token >/dev/null 2>&1 || rc=$?
expect 56 "$rc" "reset: curl's 'failure receiving' (connection reset)"
control fault '{"endpoint":"token","kind":"close"}' >/dev/null
rc=0; post_token >/dev/null 2>&1 || rc=$?
expect 52 "$rc" "close: curl's 'empty reply'"
control fault '{"endpoint":"token","kind":"truncated"}' >/dev/null
rc=0; post_token >/dev/null 2>&1 || rc=$?
expect 18 "$rc" "truncated: curl's 'partial file'"
control fault '{"endpoint":"token","kind":"html","status":403}' >/dev/null
expect 403 "$(post_token)" "html status"
grep -q '<html>' "$WORK/kind.out" || fail "html body"
control fault '{"endpoint":"token","kind":"garbage"}' >/dev/null
expect 200 "$(post_token)" "garbage status"
jq . "$WORK/kind.out" >/dev/null 2>&1 && fail "garbage parses as JSON"
control fault '{"endpoint":"token","aadsts":700082}' >/dev/null
expect 400 "$(post_token)" "aadsts status"
expect "invalid_grant 700082" "$(jq -r '"\(.error) \(.error_codes[0])"' "$WORK/kind.out")" "aadsts error"
jq -r .error_description "$WORK/kind.out" | grep -q '^AADSTS700082: The refresh token has expired due to inactivity' ||
    fail "aadsts description"
expect 1 "$(control fault | jq -r .queued)" "the devicecode fault waits for its endpoint"
expect 1 "$(curl_ -fS -d '{}' "$URL/_control/fault/clear" | jq -r .cleared)" "fault/clear"
expect 400 "$(call "$WORK/c.json" -d '{"kind":"explode"}' "$URL/_control/fault")" "unknown kind"
expect 400 "$(call "$WORK/c.json" -d '{"aadsts":1}' "$URL/_control/fault")" "AADSTS code not in the catalog"
# A slow answer is released at once by fault/clear (not after its 60 s).
control fault '{"endpoint":"token","delay_ms":60000,"status":503}' >/dev/null
(post_token >"$WORK/slow.status" 2>/dev/null) &
for ((i = 0; i < 100; i++)); do [[ $(control fault | jq -r .queued) == 0 ]] && break; sleep 0.05; done
control fault/clear '{}' >/dev/null
for ((i = 0; i < 100; i++)); do [[ -s $WORK/slow.status ]] && break; sleep 0.05; done
expect 503 "$(cat "$WORK/slow.status")" "slow answer released by fault/clear"

# --- wrong tenant, bad control input, reset
expect 400 "$(call "$WORK/t.json" -d client_id=$CLIENT -d scope=x "$URL/other-tenant/oauth2/v2.0/devicecode")" "tenant"
expect 90002 "$(jq -r '.error_codes[0]' "$WORK/t.json")" "tenant code"
expect 400 "$(call "$WORK/c.json" -d '{"no_such":1}' "$URL/_control/config")" "unknown config field"
expect true "$(curl_ -fS -X POST "$URL/_control/reset" | jq -r .reset)" "reset"
counters=$(control counters)
expect 0 "$(jq -r '.devicecode + .token_issued + .faults_served' <<<"$counters")" "counters after reset"
expect -1 "$(control config | jq -r .auto_approve_after)" "config after reset"

kill -TERM "$pid"
wait "$pid" || fail "fake-entra did not exit 0 on SIGTERM"
pid=
echo "ok: fake-entra self-test"
