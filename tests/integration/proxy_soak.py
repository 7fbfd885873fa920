#!/usr/bin/env python3
"""Soak load for aks-proxy (scripts/soak.sh proxy): everything at once for a
while, every answer checked, then the proxy's memory and descriptors compared
with a baseline taken after a warm-up under the same load.

    proxy_soak.py --port P --pid PID --upstream-port U --seconds S

Workers (threads), each looping until the deadline:
  requests   GET pod list / one pod / /version, POST /_control/echo with random
             bodies (echoed byte for byte), an exec path the filter refuses
             (403), an unknown path (404); keep-alive and fresh connections
  watches    GET ...pods?watch=true, read events (every line a JSON watch
             event) while the emitter publishes, then drop the connection
  emitter    POST /_control/emit a few times a second
  exec       exec `cat` over WebSocket (v5.channel.k8s.io): stdin echoed on
             stdout, Success on the error channel, close
  vanishers  clients that go away mid-body, mid-head or before reading
Exit status 0 when no answer was wrong and the proxy is back to its baseline:
no client socket left, descriptors other than pooled upstream connections
equal to the baseline (+2), RSS within max(8 MiB, 25 %) of the baseline.
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import random
import socket
import struct
import sys
import threading
import time

POD = "/api/v1/namespaces/default/pods/web-7d9c6b8f5d-4xk2p"
args = None
errors = []
counts = {}
lock = threading.Lock()


def error(what):
    with lock:
        if len(errors) < 50:
            errors.append(what)


def count(what):
    with lock:
        counts[what] = counts.get(what, 0) + 1


def conn():
    return http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)


def requests_worker(deadline, seed):
    rnd = random.Random(seed)
    c = conn()
    while time.time() < deadline:
        try:
            if rnd.random() < 0.2:
                c.close()
                c = conn()
            kind = rnd.randrange(6)
            if kind == 0:
                c.request("GET", "/api/v1/namespaces/default/pods")
                r = c.getresponse()
                body = r.read()
                if r.status != 200 or not json.loads(body).get("items"):
                    error(f"pod list: {r.status} {body[:100]!r}")
            elif kind == 1:
                c.request("GET", POD)
                r = c.getresponse()
                body = r.read()
                if r.status != 200 or json.loads(body)["metadata"]["name"] != POD.rsplit("/", 1)[1]:
                    error(f"one pod: {r.status} {body[:100]!r}")
            elif kind == 2:
                c.request("GET", "/version")
                r = c.getresponse()
                body = r.read()
                if r.status != 200 or "gitVersion" not in json.loads(body):
                    error(f"version: {r.status} {body[:100]!r}")
            elif kind == 3:
                payload = os.urandom(rnd.choice([0, 1, 100, 4096, 70000, 300000]))
                c.request("POST", "/_control/echo", body=payload,
                          headers={"Content-Type": "application/octet-stream"})
                r = c.getresponse()
                body = r.read()
                if r.status != 200 or body != payload:
                    error(f"echo of {len(payload)} bytes: {r.status}, {len(body)} back")
            elif kind == 4:
                c.request("GET", POD + "/attach?stdout=true")
                r = c.getresponse()
                r.read()
                if r.status != 403:
                    error(f"attach (refused by --reject-paths): {r.status}")
            else:
                c.request("GET", "/api/v1/namespaces/default/nothing-here")
                r = c.getresponse()
                r.read()
                if r.status != 404:
                    error(f"unknown path: {r.status}")
            count("requests")
        except Exception as e:  # a broken connection is a wrong answer too
            error(f"request: {e!r}")
            c.close()
            c = conn()
    c.close()


def watch_worker(deadline, seed):
    rnd = random.Random(seed)
    while time.time() < deadline:
        c = conn()
        try:
            c.request("GET", "/api/v1/namespaces/default/pods?watch=true")
            r = c.getresponse()
            if r.status != 200:
                error(f"watch: {r.status}")
                continue
            until = time.time() + rnd.uniform(0.2, 2.0)
            events = 0
            while time.time() < until:  # the emitter publishes every 0.2 s: lines keep coming
                line = r.readline()
                if not line:
                    error("watch: ended by the proxy")
                    break
                ev = json.loads(line)
                if ev.get("type") not in ("ADDED", "MODIFIED", "DELETED") or "metadata" not in ev.get("object", {}):
                    error(f"watch event: {line[:100]!r}")
                events += 1
            if events == 0:
                error("watch: no event (the initial list at least)")
            count("watches")
        except Exception as e:
            error(f"watch: {e!r}")
        finally:
            c.sock and c.sock.close()  # dropped, not drained: the proxy must notice


def emitter(deadline):
    c = conn()
    i = 0
    while time.time() < deadline:
        try:
            body = json.dumps({"type": "ADDED", "name": f"soak-{i}", "namespace": "default"})
            c.request("POST", "/_control/emit", body=body, headers={"Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            if r.status != 200:
                error(f"emit: {r.status}")
            i += 1
            count("emits")
        except Exception as e:
            error(f"emit: {e!r}")
            c.close()
            c = conn()
        time.sleep(0.2)
    c.close()


def ws_frame(opcode, payload):
    mask = os.urandom(4)
    head = bytes([0x80 | opcode])
    n = len(payload)
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack(">H", n)
    else:
        head += bytes([0x80 | 127]) + struct.pack(">Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def ws_read(f):
    """(opcode, payload) of the next whole server message: frames joined
    (Beast fragments large messages), servers do not mask."""
    opcode, payload = None, b""
    while True:
        b0, b1 = f.read(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", f.read(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", f.read(8))[0]
        data = f.read(n)
        op = b0 & 0x0F
        if op >= 8:  # control frames come whole, even between fragments
            if op == 8:
                return op, data
            continue
        if op != 0:
            opcode = op
        payload += data
        if b0 & 0x80:
            return opcode, payload


def exec_worker(deadline, seed):
    rnd = random.Random(seed)
    while time.time() < deadline:
        s = socket.create_connection(("127.0.0.1", args.port), timeout=30)
        try:
            key = base64.b64encode(os.urandom(16)).decode()
            s.sendall((f"GET {POD}/exec?command=cat&stdin=true&stdout=true HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       f"Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                       f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n").encode())
            f = s.makefile("rb")
            status = f.readline()
            head = {}
            while True:
                line = f.readline().strip()
                if not line:
                    break
                name, _, value = line.decode().partition(":")
                head[name.strip().lower()] = value.strip()
            accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            if b" 101 " not in status or head.get("sec-websocket-accept") != accept:
                error(f"exec upgrade: {status!r}")
                continue
            sent = b""
            for _ in range(rnd.randrange(1, 5)):
                piece = os.urandom(rnd.randrange(1, 20000))
                s.sendall(ws_frame(2, b"\x00" + piece))
                sent += piece
            s.sendall(ws_frame(2, b"\xff\x00"))  # v5: close stdin
            got, status_msg = b"", None
            while True:
                op, data = ws_read(f)
                if op == 8:
                    break
                if op == 2 and data[:1] == b"\x01":
                    got += data[1:]
                elif op == 2 and data[:1] == b"\x03":
                    status_msg = json.loads(data[1:])
            if got != sent or not status_msg or status_msg.get("status") != "Success":
                error(f"exec cat: {len(sent)} sent, {len(got)} back, status {status_msg}")
            count("execs")
        except Exception as e:
            error(f"exec: {e!r}")
        finally:
            s.close()


def vanisher(deadline, seed):
    rnd = random.Random(seed)
    while time.time() < deadline:
        try:
            s = socket.create_connection(("127.0.0.1", args.port), timeout=30)
            kind = rnd.randrange(3)
            if kind == 0:  # mid-body
                s.sendall(b"POST /_control/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 200000\r\n\r\n")
                s.sendall(os.urandom(rnd.randrange(0, 150000)))
            elif kind == 1:  # mid-head
                s.sendall(b"GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0")
            else:  # before reading a large answer
                s.sendall(b"GET /api/v1/namespaces/default/pods HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            time.sleep(rnd.uniform(0, 0.1))
            s.close()
            count("vanished")
        except Exception as e:
            error(f"vanisher: {e!r}")
        time.sleep(0.05)


def run_load(seconds):
    deadline = time.time() + seconds
    # Events keep coming a little past the deadline: a watch still reading gets its next line.
    threads = [threading.Thread(target=emitter, args=(deadline + 3,))]
    for i in range(4):
        threads.append(threading.Thread(target=requests_worker, args=(deadline, i)))
    for i in range(3):
        threads.append(threading.Thread(target=watch_worker, args=(deadline, 100 + i)))
    for i in range(2):
        threads.append(threading.Thread(target=exec_worker, args=(deadline, 200 + i)))
    for i in range(2):
        threads.append(threading.Thread(target=vanisher, args=(deadline, 300 + i)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def sockets_by_kind(pid):
    """Counts of the proxy's descriptors: client connections, upstream connections, all."""
    inodes = {}
    for name in ("tcp", "tcp6"):
        with open(f"/proc/net/{name}") as f:
            next(f)
            for line in f:
                parts = line.split()
                local_port = int(parts[1].split(":")[1], 16)
                remote_port = int(parts[2].split(":")[1], 16)
                inodes[parts[9]] = (local_port, remote_port, parts[3])
    client = upstream = total = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        total += 1
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            local, remote, state = inodes.get(target[8:-1], (0, 0, ""))
            if local == args.port and state != "0A":  # 0A: the listening socket
                client += 1
            elif remote == args.upstream_port:
                upstream += 1
    return client, upstream, total


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def settle(pid):
    """Waits (bounded) until the proxy holds no client connection: lingering closes end within 2 s."""
    for _ in range(100):
        if sockets_by_kind(pid)[0] == 0:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    return sockets_by_kind(pid), rss_kib(pid)


def main():
    global args
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--upstream-port", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    args = ap.parse_args()

    warmup = max(10.0, args.seconds / 10)
    print(f"soak: warm-up {warmup:.0f} s", flush=True)
    run_load(warmup)
    (c0, u0, t0), rss0 = settle(args.pid)
    print(f"soak: baseline: RSS {rss0} KiB, {t0} descriptors ({u0} pooled upstream, {c0} client)", flush=True)
    counts.clear()
    print(f"soak: load for {args.seconds:.0f} s", flush=True)
    run_load(args.seconds)
    (c1, u1, t1), rss1 = settle(args.pid)
    print(f"soak: after: RSS {rss1} KiB, {t1} descriptors ({u1} pooled upstream, {c1} client)", flush=True)
    print("soak: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())), flush=True)

    failed = False
    for e in errors:
        print(f"soak: WRONG ANSWER: {e}", flush=True)
        failed = True
    if c1 != 0:
        print(f"soak: {c1} client connections still open", flush=True)
        failed = True
    if (t1 - u1) > (t0 - u0) + 2:
        print(f"soak: descriptors other than pooled upstream connections: {t1 - u1}, baseline {t0 - u0}", flush=True)
        failed = True
    allowed = max(8 * 1024, rss0 // 4)
    if rss1 > rss0 + allowed:
        print(f"soak: RSS grew by {rss1 - rss0} KiB (allowed {allowed})", flush=True)
        failed = True
    for k in ("requests", "watches", "emits", "execs", "vanished"):
        if not counts.get(k):
            print(f"soak: no {k} completed", flush=True)
            failed = True
    print("soak: " + ("FAILED" if failed else "ok"), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
