#!/usr/bin/env python3
"""A listener that records what it receives: stands in for another local
user's process on a port aks-proxy may reach (test_proxy_peer_owner.sh).

usage: record_listener.py PORT_FILE BYTES_FILE CONNS_FILE

Binds 127.0.0.1 on an ephemeral port, writes the port to PORT_FILE, and for
each connection appends one line to CONNS_FILE and every byte it receives to
BYTES_FILE (flushed at once), then answers 200 with "{}" once a request
head has arrived. Runs until killed.
"""
import os
import socket
import sys
import threading

port_file, bytes_file, conns_file = sys.argv[1:4]
lock = threading.Lock()


def serve(conn):
    with lock, open(conns_file, "a") as f:
        f.write("connection\n")
    conn.settimeout(5)
    got = b""
    try:
        while b"\r\n\r\n" not in got:
            data = conn.recv(65536)
            if not data:
                return
            got += data
            with lock, open(bytes_file, "ab") as f:
                f.write(data)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                     b"Connection: close\r\n\r\n{}")
    except OSError:
        pass
    finally:
        conn.close()


s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(port_file + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
os.rename(port_file + ".tmp", port_file)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
