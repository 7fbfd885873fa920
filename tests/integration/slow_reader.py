#!/usr/bin/env python3
"""A client that stops reading: GET PATH from 127.0.0.1:PORT with a small
receive buffer, read nothing until the file GO exists, then read the chunked
body and write it (decoded) to OUT once it holds BYTES bytes. Used by
test_proxy_h2.sh to stall one stream while others flow."""
import os
import socket
import sys
import time

port, path, go, out, want = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", port))
s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % path).encode())
while not os.path.exists(go):
    time.sleep(0.05)
s.settimeout(30)
raw = bytearray()


def fill(n):
    while len(raw) < n:
        data = s.recv(1 << 16)
        if not data:
            raise SystemExit("slow_reader: connection closed after %d bytes" % len(raw))
        raw.extend(data)


# Head, then chunks until WANT body bytes.
while b"\r\n\r\n" not in raw:
    fill(len(raw) + 1)
pos = raw.index(b"\r\n\r\n") + 4
body = bytearray()
while len(body) < want:
    while raw.find(b"\r\n", pos) < 0:
        fill(len(raw) + 1)
    eol = raw.index(b"\r\n", pos)
    size = int(raw[pos:eol], 16)
    fill(eol + 2 + size + 2)
    body.extend(raw[eol + 2:eol + 2 + size])
    pos = eol + 2 + size + 2
with open(out, "wb") as f:
    f.write(body)
