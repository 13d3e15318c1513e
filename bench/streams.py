#!/usr/bin/env python3
"""Event-stream benchmark (issue: hardening).

On one release server with a demo workspace:
  - write latency (creating a content item, one client, one after another) with no stream open,
    then with 500 event streams opened by one viewer (the probe's case: the per-user cap keeps
    their newest 10), then with 500 open streams of 50 viewers (10 each) that all read every
    event pushed to them
    -> p50 and p95 of each, and the p95 ratios to no streams (bar <= 2)
Each figure is the median of RUNS runs made in this one invocation.
"""

import http.client
import json
import os
import selectors
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("KOX_BENCH_BIN") or os.path.join(ROOT, "target", "release", "kox")
RUNS = int(os.environ.get("KOX_BENCH_RUNS", "3"))
PORT = int(os.environ.get("KOX_BENCH_PORT", "18391"))
WRITES = 300
USERS, PER_USER = 50, 10
PASSWORD = "bench-streams-2026"


def call(conn, method, path, body=None, headers=None):
    h = {"Content-Type": "application/json", **(headers or {})}
    conn.request(method, path, json.dumps(body) if body is not None else None, h)
    r = conn.getresponse()
    data = r.read()
    return r.status, data, r


def writes(token):
    conn = http.client.HTTPConnection("127.0.0.1", PORT)
    lat = []
    for i in range(WRITES):
        t0 = time.perf_counter()
        s, data, _ = call(conn, "POST", "/api/v1/workspaces/1/content", {"title": f"压测选题{i}"},
                          {"Authorization": "Bearer " + token})
        lat.append((time.perf_counter() - t0) * 1000)
        assert s == 201, (s, data[:200])
    lat.sort()
    return statistics.median(lat), lat[int(len(lat) * 0.95)]


class Streams:
    """Open SSE connections, drained by one thread."""

    def __init__(self, cookies, per_user):
        self.sel = selectors.DefaultSelector()
        self.socks = []
        self.bytes = 0
        for c in cookies:
            for _ in range(per_user):
                s = socket.create_connection(("127.0.0.1", PORT))
                s.sendall(f"GET /api/v1/workspaces/1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {c}\r\n\r\n".encode())
                s.setblocking(False)
                self.sel.register(s, selectors.EVENT_READ)
                self.socks.append(s)
        self.stop = False
        self.t = threading.Thread(target=self.drain, daemon=True)
        self.t.start()

    def drain(self):
        while not self.stop:
            for key, _ in self.sel.select(timeout=0.2):
                try:
                    d = key.fileobj.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    d = b""
                if d:
                    self.bytes += len(d)
                else:
                    # A stream the server ended (the per-user cap): stop watching it, or the
                    # selector reports it readable forever and this thread spins on a core
                    # the server needs.
                    self.sel.unregister(key.fileobj)

    def close(self):
        self.stop = True
        self.t.join()
        for s in self.socks:
            s.close()


def main():
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: make release (make bench does)")
    tmp = tempfile.mkdtemp(prefix="kox-bench-streams-")
    env = dict(os.environ, KOX_DATA_DIR=tmp, KOX_DATABASE_URL=f"sqlite://{tmp}/kox.db", KOX_LOG="warn")
    started = time.monotonic()
    try:
        subprocess.run([BIN, "demo", "--scale", "1"], env=env, check=True, capture_output=True)
        token = subprocess.run([BIN, "token", "create", "--email", "director@kox.demo", "--name", "bench"],
                               env=env, check=True, capture_output=True, text=True).stdout.strip()
        proc = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{PORT}"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(500):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                    break
                except Exception:
                    time.sleep(0.01)
            admin = subprocess.run([BIN, "token", "create", "--email", "admin@kox.demo", "--name", "bench"],
                                   env=env, check=True, capture_output=True, text=True).stdout.strip()
            conn = http.client.HTTPConnection("127.0.0.1", PORT)
            cookies = []
            for u in range(USERS):
                email = f"viewer{u}@bench.kox"
                # Invited, then joined by the link (which signs them in).
                s, data, _ = call(conn, "POST", "/api/v1/workspaces/1/invitations",
                                  {"email": email, "name": f"观众{u}", "role": "viewer", "group": "data_support"},
                                  {"Authorization": "Bearer " + admin})
                assert s == 201, (s, data[:200])
                secret = json.loads(data)["link"].rsplit("/", 1)[1]
                s, data, r = call(conn, "POST", f"/api/v1/invitations/{secret}/register",
                                  {"name": f"观众{u}", "password": PASSWORD})
                assert s == 201, (s, data[:200])
                cookie = "; ".join(h.split(";")[0] for k, h in r.getheaders() if k.lower() == "set-cookie")
                cookies.append(cookie)
            quiet, one, spread = [], [], []
            for _ in range(RUNS):
                quiet.append(writes(token))
                for figures, who, per_user in [(one, cookies[:1], USERS * PER_USER), (spread, cookies, PER_USER)]:
                    streams = Streams(who, per_user)
                    time.sleep(1)
                    figures.append(writes(token))
                    pushed = streams.bytes
                    streams.close()
                    assert pushed > 0, "the streams received nothing"
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = lambda runs, i: statistics.median(r[i] for r in runs)
    print(f"\nKOX event-stream benchmark — medians of {RUNS} runs, {WRITES} sequential creates each")
    print(f"  {'':34} {'p50 ms':>8} {'p95 ms':>8} {'p95 ratio':>10}")
    for label, runs in [("no streams", quiet), (f"{USERS * PER_USER} streams of one viewer", one),
                        (f"{USERS * PER_USER} streams of {USERS} viewers", spread)]:
        ratio = med(runs, 1) / med(quiet, 1)
        verdict = "" if runs is quiet else f"  (bar <= 2: {'ok' if ratio <= 2 else 'MISSED'})"
        print(f"  {label:34} {med(runs, 0):8.2f} {med(runs, 1):8.2f} {ratio:10.2f}{verdict}")
    print(f"\nbench took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
