#!/usr/bin/env python3
"""Login-flood benchmark (issue: hardening).

On one release server with a demo workspace (SQLite, `kox demo --scale 50`):
  - idle: RSS, and the authenticated 50-row account list throughput (wrk, 10 s)
  - flood: 150 clients, each from its own loopback address (127.0.0.2 …), send failing sign-ins
    (unknown e-mails, 1,000-character passwords) one after another for 10 s, while wrk measures
    the same list and a sampler reads the server's RSS every 20 ms
    -> peak RSS over idle (bar <= 100 MiB) and list throughput in the flood / idle (bar >= 0.5),
       with how the sign-ins were answered (401, 429, 503)
Each figure is the median of RUNS runs made in this one invocation.
"""

import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("KOX_BENCH_BIN") or os.path.join(ROOT, "target", "release", "kox")
RUNS = int(os.environ.get("KOX_BENCH_RUNS", "3"))
PORT = int(os.environ.get("KOX_BENCH_PORT", "18392"))
SECONDS = int(os.environ.get("KOX_BENCH_DURATION", "10"))
ATTACKERS = 150


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wrk_rps(url, token, seconds):
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-H", f"Authorization: Bearer {token}", url],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(m.group(1)) if m else 0.0


def attacker(i, stop, counts, lock):
    """Failing sign-ins from 127.0.0.(2+i), one after another, each on a new connection."""
    source = (f"127.0.0.{2 + i % 250}", 0)
    n = 0
    while not stop.is_set():
        n += 1
        body = json.dumps({"email": f"nobody{i}-{n}@flood.kox", "password": "x" * 1000})
        try:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30, source_address=source)
            c.request("POST", "/api/v1/auth/login", body, {"Content-Type": "application/json"})
            status = c.getresponse().status
            c.close()
        except OSError:
            status = "error"
        with lock:
            counts[status] += 1


def one_run(pid, list_url, token):
    time.sleep(1)
    idle_rss = rss_mib(pid)
    idle_rps = wrk_rps(list_url, token, SECONDS)
    stop, lock, counts = threading.Event(), threading.Lock(), Counter()
    peak = [idle_rss]

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_mib(pid))
            time.sleep(0.02)

    threads = [threading.Thread(target=attacker, args=(i, stop, counts, lock), daemon=True) for i in range(ATTACKERS)]
    threads.append(threading.Thread(target=sample, daemon=True))
    for t in threads:
        t.start()
    time.sleep(0.5)  # the flood is on before the list is measured
    flood_rps = wrk_rps(list_url, token, SECONDS)
    stop.set()
    for t in threads:
        t.join()
    return {"idle_rss": idle_rss, "peak_rss": peak[0], "idle_rps": idle_rps, "flood_rps": flood_rps,
            "answers": dict(counts)}


def main():
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: make release (make bench does)")
    tmp = tempfile.mkdtemp(prefix="kox-bench-flood-")
    env = dict(os.environ, KOX_DATA_DIR=tmp, KOX_DATABASE_URL=f"sqlite://{tmp}/kox.db", KOX_LOG="warn")
    started = time.monotonic()
    runs = []
    try:
        subprocess.run([BIN, "demo", "--scale", "50"], env=env, check=True, capture_output=True)
        token = subprocess.run([BIN, "token", "create", "--email", "director@kox.demo", "--name", "bench"],
                               env=env, check=True, capture_output=True, text=True).stdout.strip()
        for _ in range(RUNS):
            # A fresh server per run: the failure counters and the allocator start from idle.
            proc = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{PORT}"], env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                for _ in range(500):
                    try:
                        urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                        break
                    except Exception:
                        time.sleep(0.01)
                runs.append(one_run(proc.pid, f"http://127.0.0.1:{PORT}/api/v1/workspaces/1/accounts?limit=50", token))
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    med = lambda k: statistics.median(r[k] for r in runs)
    growth = statistics.median(r["peak_rss"] - r["idle_rss"] for r in runs)
    ratio = statistics.median(r["flood_rps"] / r["idle_rps"] for r in runs if r["idle_rps"])
    answers = Counter()
    for r in runs:
        answers.update(r["answers"])
    print(f"\nKOX login-flood benchmark — medians of {RUNS} runs; {ATTACKERS} clients, {SECONDS} s each")
    print(f"  idle RSS                  {med('idle_rss'):8.1f} MiB")
    print(f"  peak RSS in the flood     {med('peak_rss'):8.1f} MiB   growth {growth:.1f} MiB (bar <= 100: {'ok' if growth <= 100 else 'MISSED'})")
    print(f"  account list, idle        {med('idle_rps'):8.0f} req/s")
    print(f"  account list, in flood    {med('flood_rps'):8.0f} req/s   ratio {ratio:.2f} (bar >= 0.5: {'ok' if ratio >= 0.5 else 'MISSED'})")
    print(f"  sign-in answers (all runs) {dict(sorted(answers.items(), key=str))}")
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "login_flood.json"), "w") as f:
        json.dump({"runs": runs, "rss_growth_mib": growth, "list_ratio": ratio}, f, indent=2)
    print(f"\nbench took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
