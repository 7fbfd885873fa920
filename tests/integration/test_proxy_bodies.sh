#!/usr/bin/env bash
# Request and response bodies through aks-proxy: a large Content-Length body,
# a chunked upload, Expect: 100-continue, keep-alive reuse of one client
# connection, HEAD, and an HTTP/1.0 client reading a chunked upstream answer.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/proxy_lib.sh"
proxy_setup
proxy_login || fail "login failed"
start_proxy

head -c 900000 /dev/urandom >"$WORK/body.bin"
curl -fsS -o "$WORK/echo1.bin" --data-binary @"$WORK/body.bin" -H 'Content-Type: application/octet-stream' \
    "$PROXY_URL/_control/echo" || fail "POST with Content-Length"
cmp -s "$WORK/body.bin" "$WORK/echo1.bin" || fail "Content-Length body changed on the way"
pass "900 KB body with Content-Length, byte for byte"

curl -fsS -o "$WORK/echo2.bin" -H 'Transfer-Encoding: chunked' --data-binary @"$WORK/body.bin" \
    "$PROXY_URL/_control/echo" || fail "chunked POST"
cmp -s "$WORK/body.bin" "$WORK/echo2.bin" || fail "chunked body changed on the way"
pass "chunked upload"

curl -fsS -o "$WORK/echo3.bin" -H 'Expect: 100-continue' --data-binary @"$WORK/body.bin" \
    "$PROXY_URL/_control/echo" -w '%{http_code}' >"$WORK/code3" || fail "Expect: 100-continue"
cmp -s "$WORK/body.bin" "$WORK/echo3.bin" || fail "body after 100-continue changed"
pass "Expect: 100-continue"

# One client connection, three requests (curl reuses it: "Re-using existing connection").
curl -sS -v -o /dev/null -o /dev/null -o /dev/null "$PROXY_URL/version" "$PROXY_URL/api" "$PROXY_URL/version" \
    2>"$WORK/reuse.log" || fail "keep-alive requests"
[[ $(grep -ci 're-using existing connection\|reusing existing connection' "$WORK/reuse.log") -ge 2 ]] ||
    fail "client connection not kept alive: $(grep -i connect "$WORK/reuse.log")"
pass "client keep-alive"

# HEAD: the answer's head only (the fake answers 405 with a Content-Length it
# does not send), then the same connection carries the next request.
curl -sS -v --max-time 10 -I "$PROXY_URL/api/v1/namespaces/default/pods" --next --max-time 10 -o /dev/null \
    "$PROXY_URL/version" 2>"$WORK/head.log" >"$WORK/head.out" || fail "HEAD: $(cat "$WORK/head.log")"
grep -q '^HTTP/1.1 405' "$WORK/head.out" || fail "HEAD answer: $(cat "$WORK/head.out")"
grep -qi 're-using existing connection' "$WORK/head.log" || fail "connection not reused after HEAD"
pass "HEAD"

# HTTP/1.0 client: no chunked coding for it; the body ends with the connection.
out=$(curl -sS -0 -N --max-time 10 "$PROXY_URL/api/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p/log?follow=true" \
    -D "$WORK/h10.txt" || true)
grep -qi '^transfer-encoding' "$WORK/h10.txt" && fail "chunked answer to an HTTP/1.0 client"
grep -q 'ready' <<<"$out" || fail "HTTP/1.0 client got: $out"
pass "HTTP/1.0 client"
assert_no_token_in "$WORK/proxy.log"
