#!/usr/bin/env python3
"""Sends exact bytes to an HTTP server and reports what came back.

    raw_http.py PORT [options] -e PYTHON_EXPR

PYTHON_EXPR evaluates to bytes (one write) or a list of bytes (one write
each, --pause seconds apart; with --gate FILE, each write after the first
waits until FILE exists). The answer is read until the server closes or
stays silent for --timeout seconds, split into HTTP/1.1 responses, and printed
as one status code per line followed by "closed" (the server closed the
connection) or "open". With --responses N the wait ends 1 s after N
complete responses (time enough to see a close). --dump FILE keeps the raw
answer.

The hostile-client tests use it for the shapes curl will not send: smuggling
framing, bare LF, obs-fold, heads split over many writes, pipelining.
"""
import argparse
import os
import socket
import sys
import time


def split_responses(data):
    """Status codes of the complete responses in data (bodies by Content-Length or chunked)."""
    codes = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            break
        head = data[:end].decode("latin-1").split("\r\n")
        data = data[end + 4:]
        parts = head[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            codes.append("garbage")
            break
        code = parts[1]
        fields = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        if code.startswith("1"):
            continue  # 100 Continue: interim, not an answer
        codes.append(code)
        if fields.get("transfer-encoding", "").lower() == "chunked":
            while True:
                eol = data.find(b"\r\n")
                if eol < 0:
                    return codes
                size = int(data[:eol].split(b";")[0], 16)
                data = data[eol + 2:]
                if size == 0:
                    trailer_end = data.find(b"\r\n")
                    data = data[trailer_end + 2:] if trailer_end >= 0 else b""
                    break
                data = data[size + 2:]
        else:
            data = data[int(fields.get("content-length", "0")):]
    return codes


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("-e", dest="expr", required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--pause", type=float, default=0.0)
    ap.add_argument("--gate")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--responses", type=int)
    ap.add_argument("--dump")
    args = ap.parse_args()

    parts = eval(args.expr)  # test code, written by the test
    if isinstance(parts, (bytes, bytearray)):
        parts = [parts]
    s = socket.create_connection((args.host, args.port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    received = b""
    closed = False
    try:
        for i, p in enumerate(parts):
            if i and args.pause:
                time.sleep(args.pause)
            if i and args.gate:
                deadline = time.time() + 120
                while not os.path.exists(args.gate) and time.time() < deadline:
                    time.sleep(0.05)
            s.sendall(p)
    except (BrokenPipeError, ConnectionResetError):
        closed = True  # the server gave up on us mid-request; read what it said
    s.settimeout(args.timeout)
    while True:
        if args.responses is not None and len(split_responses(received)) >= args.responses:
            s.settimeout(1.0)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            closed = True
            break
        if not chunk:
            closed = True
            break
        received += chunk
    s.close()
    if args.dump:
        with open(args.dump, "wb") as f:
            f.write(received)
    for code in split_responses(received):
        print(code)
    print("closed" if closed else "open")


if __name__ == "__main__":
    sys.exit(main())
