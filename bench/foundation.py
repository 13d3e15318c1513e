#!/usr/bin/env python3
"""Foundation benchmark (issue: the running KOX).

On one release server per engine, with `kox demo --scale N` data (>= 2,000 accounts):
  - wrk, 64 connections, 10 s: GET /healthz vs authenticated GET .../accounts?limit=50
    (throughputs, their ratio, p99 of the list)
  - idle RSS, start to first 200, binary size
  - 32 concurrent account creations (errors counted)
Each load figure is the median of RUNS runs made in this one invocation.
"""

import concurrent.futures
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# KOX_BENCH_BIN measures another build (e.g. the previous release, for a before/after table).
BIN = os.environ.get("KOX_BENCH_BIN") or os.path.join(ROOT, "target", "release", "kox")
SCALE = int(os.environ.get("KOX_BENCH_SCALE", "50"))
RUNS = int(os.environ.get("KOX_BENCH_RUNS", "3"))
DURATION = os.environ.get("KOX_BENCH_DURATION", "10s")
PG_ADMIN = os.environ.get("KOX_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
PORT = int(os.environ.get("KOX_BENCH_PORT", "18390"))


RANDOM_OFFSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "random_offsets.lua")


def wrk(url, token=None, script=None):
    cmd = ["wrk", "-t2", "-c64", "-d" + DURATION, "--latency", url]
    if script:
        cmd[1:1] = ["-s", script]
    if token:
        cmd[1:1] = ["-H", "Authorization: Bearer " + token]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = parse_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    return rps, p99, int(errors.group(1)) if errors else 0, sock.group(1) if sock else ""


def parse_ms(s):
    n, unit = re.match(r"([\d.]+)(\w+)", s).groups()
    return float(n) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def http(method, url, token, body=None):
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None)
    req.add_header("Authorization", "Bearer " + token)
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except Exception:
        return 0


def run_engine(name, env):
    subprocess.run([BIN, "demo", "--scale", str(SCALE)], env=env, check=True, capture_output=True)
    token = subprocess.run([BIN, "token", "create", "--email", "director@kox.demo", "--name", "bench"],
                           env=env, check=True, capture_output=True, text=True).stdout.strip()
    base = f"http://127.0.0.1:{PORT}"
    starts = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        proc = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{PORT}"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except Exception:
                time.sleep(0.002)
        starts.append((time.perf_counter() - t0) * 1000)
        proc.send_signal(signal.SIGTERM)
        proc.wait()
    proc = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{PORT}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(500):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.01)
        time.sleep(1)
        idle = rss_mb(proc.pid)
        list_url = base + "/api/v1/workspaces/1/accounts?limit=50"
        total = json.load(urllib.request.urlopen(urllib.request.Request(list_url, headers={"Authorization": "Bearer " + token})))["total"]
        health, lists, cold = [], [], []
        for _ in range(RUNS):
            health.append(wrk(base + "/healthz"))
            lists.append(wrk(list_url, token))
            cold.append(wrk(list_url, token, RANDOM_OFFSETS))
        body = lambda i: {"tier": "KOC", "platform": "xiaohongshu", "handle": f"bench_{os.getpid()}_{i}",
                          "display_name": "压测账号", "ownership": "partner", "followers": i}
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            codes = list(pool.map(lambda i: http("POST", base + "/api/v1/workspaces/1/accounts", token, body(i)), range(32)))
        busy_rss = rss_mb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()
    h_rps = statistics.median(r[0] for r in health)
    l_rps = statistics.median(r[0] for r in lists)
    return {
        "engine": name,
        "accounts": total,
        "healthz_rps": h_rps,
        "list_rps": l_rps,
        "ratio": l_rps / h_rps,
        "list_p99_ms": statistics.median(r[1] for r in lists),
        "list_random_offset_rps": statistics.median(r[0] for r in cold),
        # The database path against the same run's healthz (issue bar: at least 0.10).
        "random_offset_ratio": statistics.median(r[0] for r in cold) / h_rps,
        "list_random_offset_p99_ms": statistics.median(r[1] for r in cold),
        "list_non2xx": sum(r[2] for r in lists),
        "socket_errors": "; ".join(r[3] for r in lists + health if r[3]),
        "idle_rss_mb": idle,
        "rss_after_load_mb": busy_rss,
        "start_to_first_200_ms": statistics.median(starts),
        "concurrent_creates_errors": sum(1 for c in codes if c != 201),
    }


def port_busy(port):
    import socket
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def main():
    started = time.monotonic()
    if port_busy(PORT):
        sys.exit(f"port {PORT} is in use; set KOX_BENCH_PORT")
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: make release (make bench does)")
    size_mb = os.path.getsize(BIN) / 1e6
    results = []
    tmp = tempfile.mkdtemp(prefix="kox-bench-")
    try:
        env = dict(os.environ, KOX_DATA_DIR=tmp, KOX_DATABASE_URL=f"sqlite://{tmp}/kox.db", KOX_LOG="warn")
        results.append(run_engine("sqlite", env))
        db = f"kox_bench_{os.getpid()}"
        subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {db}"], check=True)
        try:
            pg_url = PG_ADMIN.rsplit("/", 1)[0] + "/" + db
            env = dict(os.environ, KOX_DATA_DIR=tmp, KOX_DATABASE_URL=pg_url, KOX_LOG="warn")
            results.append(run_engine("postgres", env))
        finally:
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], check=False)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    bars = {"ratio": (">=", 0.12), "random_offset_ratio": (">=", 0.10), "list_p99_ms": ("<=", 50), "idle_rss_mb": ("<=", 50),
            "start_to_first_200_ms": ("<=", 500), "concurrent_creates_errors": ("<=", 0)}
    print(f"\nKOX foundation benchmark — medians of {RUNS} runs, wrk -t2 -c64 -d{DURATION}, scale {SCALE}")
    print(f"binary size with UI: {size_mb:.1f} MB (bar <= 40 MB: {'ok' if size_mb <= 40 else 'MISSED'})")
    for r in results:
        print(f"\n[{r['engine']}] {r['accounts']} accounts")
        for k in ["healthz_rps", "list_rps", "ratio", "list_p99_ms", "list_non2xx", "list_random_offset_rps", "random_offset_ratio", "list_random_offset_p99_ms", "idle_rss_mb", "rss_after_load_mb",
                  "start_to_first_200_ms", "concurrent_creates_errors"]:
            v = r[k]
            bar = bars.get(k)
            verdict = ""
            if bar:
                ok = v >= bar[1] if bar[0] == ">=" else v <= bar[1]
                verdict = f"  (bar {bar[0]} {bar[1]}: {'ok' if ok else 'MISSED'})"
            print(f"  {k:<28} {v:>12.2f}{verdict}" if isinstance(v, float) else f"  {k:<28} {v:>12}{verdict}")
        if r["socket_errors"]:
            print(f"  socket errors: {r['socket_errors']}")
    out = os.path.join(ROOT, "bench", "results")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "foundation.json"), "w") as f:
        json.dump({"binary_mb": size_mb, "runs": RUNS, "results": results}, f, indent=2)
    print(f"\nbench took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
