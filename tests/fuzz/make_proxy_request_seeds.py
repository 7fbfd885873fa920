#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_proxy_request: smuggling shapes, path
tricks, Host/Origin tricks, Headlamp-mode sessions, upgrades and limit
breakers, each for the configuration it is about and at a few read sizes.
Byte 0 picks the configuration (0 defaults, 1 custom filters + path prefix,
2 Headlamp mode, 3 no token), byte 1 the read size (0: everything at once).
Run it again after changing the shapes; scripts/fuzz.sh merges what the
fuzzer finds on top."""
import hashlib
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "fuzz_proxy_request")
H = b"Host: 127.0.0.1:8001\r\n"
POD = b"/api/v1/namespaces/default/pods/web-0"
COOKIE = b"Cookie: aks-proxy-8000=s3cr3t-fuzz\r\n"


def get(path, extra=b""):
    return b"GET " + path + b" HTTP/1.1\r\n" + H + extra + b"\r\n"


SHAPES = {
    # Plain requests, pipelined, with bodies.
    "get": get(b"/api/v1/pods"),
    "get-pipelined": get(b"/api/v1/pods") + get(b"/version") + get(b"/apis/apps/v1"),
    "post-cl": b"POST /api/v1/namespaces/default/pods HTTP/1.1\r\n" + H + b"Content-Length: 11\r\n\r\n{\"a\":\"bc\"}\n",
    "post-cl-zero-padded": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Content-Length: 0005\r\n\r\nhello" + get(b"/version"),
    "post-chunked": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n" + get(b"/version"),
    "expect-continue": b"PUT /api/v1/pods/x HTTP/1.1\r\n" + H + b"Expect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    "http10": b"GET /api/v1/pods HTTP/1.0\r\n" + H + b"\r\n",
    "connection-close": get(b"/api/v1/pods", b"Connection: close\r\n") + get(b"/version"),
    "client-gone-mid-body": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Content-Length: 100\r\n\r\nonly a little",
    "client-gone-mid-chunk": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n10\r\nabc",
    # Smuggling shapes.
    "conn-names-cl": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Connection: keep-alive, Content-Length\r\nContent-Length: 40\r\n\r\nDELETE " + POD + b" HTTP/1.1\r\nX: ",
    "conn-names-te": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Connection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "conn-names-host": get(b"/version", b"Connection: Host, Authorization\r\n"),
    "cl-te": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/secrets HTTP/1.1\r\n" + H + b"\r\n",
    "te-cl": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\nX",
    "two-cl": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "cl-list": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Content-Length: 5, 5\r\n\r\nhello",
    "te-xchunked": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding: xchunked\r\n\r\n" + get(POD + b"/exec"),
    "te-chunked-gzip": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n",
    "te-gzip-chunked": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-http10": b"POST /api/v1/pods HTTP/1.0\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "chunk-overflow": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\nfffffffffffffffff1\r\nx\r\n0\r\n\r\n",
    "chunk-bad-crlf": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
    "obs-fold-te": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n",
    "bare-lf": b"GET /api/v1/pods HTTP/1.1\n" + H + b"\n",
    "bare-lf-field": b"GET /api/v1/pods HTTP/1.1\r\n" + H + b"X: a\nTransfer-Encoding: chunked\r\n\r\n",
    "bare-cr": b"GET /api/v1/pods HTTP/1.1\r\n" + H + b"X: a\rY: b\r\n\r\n",
    "space-before-colon": b"POST /api/v1/pods HTTP/1.1\r\n" + H + b"Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    "pipeline-behind-403": get(POD + b"/exec?command=id") + get(b"/version"),
    "pipeline-behind-403-body": b"POST " + POD + b"/exec HTTP/1.1\r\n" + H + b"Content-Length: 30\r\n\r\n" + get(b"/api/v1/secrets"),
    "two-hosts": b"GET /version HTTP/1.1\r\n" + H + b"Host: evil.example\r\n\r\n",
    "no-host": b"GET /version HTTP/1.1\r\n\r\n",
    # Path tricks.
    "double-slash-exec": get(b"/" + POD + b"//exec"),
    "dot-segments": get(b"/api/x/../v1/namespaces/default/pods/web-0/exec") + get(b"/api/./v1/pods"),
    "encoded-slash": get(b"/api/v1/namespaces/default/pods/web-0%2Fexec"),
    "encoded-dot": get(b"/api/%2e%2e/api/v1/pods") + get(b"/api/%2E/v1"),
    "encoded-percent": get(b"/api/v1/pods/a%252Fexec"),
    "encoded-letter": get(POD + b"/ex%65c"),
    "params": get(POD + b";x=1/exec") + get(POD + b"/exec;x=1"),
    "case": get(b"/API/v1/namespaces/default/pods/web-0/EXEC"),
    "absolute-form": b"GET http://127.0.0.1:8001/api/v1/pods HTTP/1.1\r\n" + H + b"\r\n",
    "connect": b"CONNECT kubernetes.default:443 HTTP/1.1\r\nHost: kubernetes.default:443\r\n\r\n",
    "options-star": b"OPTIONS * HTTP/1.1\r\n" + H + b"\r\n",
    "fragment": get(b"/api/v1/pods#/../exec"),
    "utf8": get(b"/api/v1/namespaces/caf%C3%A9") + get(b"/api/v1/namespaces/%FF/pods/x/exec"),
    "nul": get(b"/api/v1/pods%00/exec"),
    # Host and Origin tricks.
    "evil-host": get(b"/version").replace(H, b"Host: evil.example\r\n"),
    "host-suffix": get(b"/version").replace(H, b"Host: localhost.evil.example\r\n"),
    "ipv6-host": get(b"/version").replace(H, b"Host: [::1]:8001\r\n"),
    "origin-evil": get(b"/version", b"Origin: http://evil.example\r\n"),
    "origin-same": get(b"/version", b"Origin: http://127.0.0.1:8001\r\n"),
    "origin-null": get(b"/version", b"Origin: null\r\n"),
    "two-origins": get(b"/version", b"Origin: http://127.0.0.1:8001\r\nOrigin: http://evil.example\r\n"),
    # Upgrades.
    "websocket": get(POD + b"/portforward?ports=80", b"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n") + b"tunnelled bytes",
    "spdy": b"POST " + POD + b"/portforward HTTP/1.1\r\n" + H + b"Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\nContent-Length: 0\r\n\r\n",
    # Limits (the harness uses 1 KiB heads, 16 fields, 512-byte request lines).
    "many-fields": b"GET /version HTTP/1.1\r\n" + H + b"".join(b"X-%d: 1\r\n" % i for i in range(20)) + b"\r\n",
    "long-line": get(b"/api/" + b"a" * 600),
    "big-head": get(b"/version", b"X-Big: " + b"b" * 1100 + b"\r\n"),
    "authorization-forged": get(b"/api/v1/pods", b"Authorization: Bearer forged\r\nProxy-Authorization: Basic x\r\n"),
}

HEADLAMP = {
    "hl-no-cookie": get(b"/c/main/pods"),
    "hl-cookie": get(b"/c/main/pods", COOKIE),
    "hl-cookie-stale-headlamp": get(b"/clusters/main/api/v1/pods", b"Cookie: headlamp-auth-main.0=stale; aks-proxy-8000=s3cr3t-fuzz; theme=dark\r\n"),
    "hl-wrong-cookie": get(b"/c/main/pods", b"Cookie: aks-proxy-8000=guess; aks-proxy-9000=s3cr3t-fuzz\r\n"),
    "hl-launch": get(b"/.aks-proxy/launch?secret=s3cr3t-fuzz") + get(b"/", COOKIE),
    "hl-launch-wrong": get(b"/.aks-proxy/launch?secret=guess"),
    "hl-double-slash": get(b"//c/main", COOKIE),
    "hl-ws": get(b"/wsMultiplexer", COOKIE + b"Connection: Upgrade\r\nUpgrade: websocket\r\nOrigin: http://127.0.0.1:8001\r\n"),
}


def write(name, config, step, payload):
    data = bytes([config, step]) + payload
    digest = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(OUT, f"seed-{name}-{config}-{step}-{digest}"), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, payload in SHAPES.items():
        for config in (0, 1):
            write(name, config, 0, payload)
        write(name, 0, 7, payload)
    for name in ("get", "post-chunked", "conn-names-cl", "double-slash-exec"):
        write(name, 0, 1, SHAPES[name])
        write(name, 3, 0, SHAPES[name])
    for name, payload in HEADLAMP.items():
        write(name, 2, 0, payload)
        write(name, 2, 5, payload)


if __name__ == "__main__":
    main()
