#!/usr/bin/env python3
"""Holds many client connections to a server the way a hostile local process
would, until SIGTERM:

    hold_connections.py PORT N MODE [--path P]

MODE idle       connect and send nothing
     slowloris  send a request head one field every second, never finishing it
     noread     send `GET P` (an upgrade, so the answer may be endless) and never read

Prints "ready OPEN REFUSED" once every connection is made (REFUSED: the
connect failed or the server closed or answered at once), then, on SIGTERM,
"closed-by-server K" (connections the server had closed by then) and exits.
"""
import argparse
import select
import signal
import socket
import sys
import time

stop = False


def on_term(*_):
    global stop
    stop = True


def server_closed(s):
    """True when the server closed (or reset) the connection; drains what it sent."""
    poller = select.poll()  # select() stops at descriptor 1024
    poller.register(s, select.POLLIN)
    try:
        while poller.poll(0):
            if not s.recv(65536):
                return True
        return False
    except OSError:
        return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("n", type=int)
    ap.add_argument("mode", choices=["idle", "slowloris", "noread"])
    ap.add_argument("--path", default="/version")
    args = ap.parse_args()
    signal.signal(signal.SIGTERM, on_term)

    socks, refused = [], 0
    for _ in range(args.n):
        try:
            s = socket.create_connection(("127.0.0.1", args.port), timeout=5)
        except OSError:
            refused += 1
            continue
        s.setblocking(False)
        if args.mode == "slowloris":
            s.send(b"GET /version HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        elif args.mode == "noread":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.send(b"GET " + args.path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Connection: Upgrade\r\nUpgrade: blast\r\n\r\n")
        socks.append(s)
    time.sleep(0.2)
    if args.mode == "idle":
        refused += sum(1 for s in socks if server_closed(s))
    print("ready", len(socks), refused, flush=True)

    i = 0
    while not stop:
        time.sleep(1)
        if args.mode == "slowloris":
            for s in socks:
                try:
                    s.send(b"X-%d: 1\r\n" % i)
                except OSError:
                    pass
            i += 1
    if args.mode == "noread":
        closed = 0  # reading would drain it: a connection that never reads cannot tell
    else:
        closed = sum(1 for s in socks if server_closed(s))
    print("closed-by-server", closed, flush=True)
    for s in socks:
        s.close()


if __name__ == "__main__":
    sys.exit(main())
