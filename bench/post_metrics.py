#!/usr/bin/env python3
"""Post metric import benchmark (issue: data in).

The generator writes ROWS post-metric rows as a CSV in a collector's shape (作品ID, 账号, 作品名称,
发布时间, 数据日期, 播放量, 点赞量, 评论量, 收藏量, 分享量): 1,000 accounts × 10 posts × ROWS/10,000
days. For each engine (SQLite, then PostgreSQL in a fresh database), RUNS times on a fresh
database seeded with `kox demo` plus the 1,000 accounts (imported with `kox import --kind
accounts`):
  - `kox import` of the file (the real import path: read, match, compare, write in chunks with
    the rollups)                                   bar >= 200,000 rows/s SQLite, 100,000 PG
  - SQLite only: a plain bulk insert of the same rows into an empty table of the same shape
    with the same indexes, in this run (Python's sqlite3, one transaction)   ratio bar >= 0.30
  - the same file again: 0 rows changed             bar: >= 2x faster than the first import
  - through HTTP on a release server: the same rows with another as-of day uploaded, previewed
    and committed while 16 clients move board cards; p99 of the moves       bar <= 50 ms
    and the server's peak RSS during the import                             bar <= 200 MB
Each figure is the median of RUNS runs made in this one invocation; results go to
bench/results/post_metrics.json.
"""

import csv
import http.client
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import signal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imports import call, rss_mb  # noqa: E402  (the account import bench's helpers)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("KOX_BENCH_BIN") or os.path.join(ROOT, "target", "release", "kox")
RUNS = int(os.environ.get("KOX_BENCH_RUNS", "3"))
PORT = int(os.environ.get("KOX_BENCH_PORT", "18397"))
ROWS = int(os.environ.get("KOX_BENCH_POST_ROWS", "1000000"))
ENGINES = os.environ.get("KOX_BENCH_ENGINES", "sqlite,postgres").split(",")
PG_ADMIN = os.environ.get("KOX_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
ACCOUNTS, POSTS = 1000, 10
BARS = {"sqlite_rows_per_s": 200_000, "postgres_rows_per_s": 100_000, "ratio": 0.30,
        "reimport_speedup": 2.0, "move_p99_ms": 50.0, "rss_mb": 200.0}


def accounts_csv(path):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["层级", "平台", "账号ID", "昵称"])
        for a in range(ACCOUNTS):
            w.writerow(["KOC", "抖音", f"bench_{a:04d}", f"压测账号{a}"])


def metrics_csv(path, day0=1):
    days = max(1, ROWS // (ACCOUNTS * POSTS))
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["作品ID", "账号", "作品名称", "发布时间", "数据日期", "播放量", "点赞量", "评论量", "收藏量", "分享量"])
        for d in range(days):
            day = f"2026-{(d + day0 - 1) // 28 % 12 + 1:02d}-{(d + day0 - 1) % 28 + 1:02d}"
            for a in range(ACCOUNTS):
                for p in range(POSTS):
                    k = a * POSTS + p
                    w.writerow([f"73{k:08d}", f"bench_{a:04d}", f"星河S7 实测第{p}期", f"2026-01-{p + 1:02d} 20:00",
                                day, 1000 + k % 997 + d * 10, 50 + k % 89 + d, k % 13, k % 7 + d, k % 5])
    return days * ACCOUNTS * POSTS


def cli_import(env, path, *extra):
    t0 = time.monotonic()
    out = subprocess.run([BIN, "import", path, "--workspace", "1", "--skip-invalid", *extra],
                         env=env, check=True, capture_output=True, text=True).stdout
    return time.monotonic() - t0, out


def bulk_baseline(path, rows):
    """The same rows into an empty table of the snapshots' shape and indexes, one transaction."""
    d = tempfile.mkdtemp(prefix="kox-bench-bulk-")
    try:
        db = sqlite3.connect(os.path.join(d, "b.db"))
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA temp_store=MEMORY")
        db.execute("CREATE TABLE s (item_id INTEGER NOT NULL, as_of TEXT NOT NULL, workspace_id INTEGER NOT NULL, "
                   "impressions INTEGER, reads INTEGER, likes INTEGER, saves INTEGER, comments INTEGER, shares INTEGER, "
                   "follows INTEGER, at_least INTEGER NOT NULL, completion_rate REAL, avg_watch_seconds REAL, "
                   "import_id INTEGER, updated_at TEXT NOT NULL, PRIMARY KEY (item_id, as_of))")
        db.execute("CREATE INDEX s_by_import ON s (import_id)")
        t0 = time.monotonic()
        with open(path, encoding="utf-8") as f:
            r = csv.reader(f)
            next(r)
            db.executemany("INSERT INTO s VALUES (?,?,1,NULL,?,?,?,?,?,NULL,0,NULL,NULL,1,'2026-12-07 00:00:00+00:00')",
                           ((int(x[0][2:]), x[4], int(x[5]), int(x[6]), int(x[7]), int(x[8]), int(x[9])) for x in r))
        db.commit()
        return time.monotonic() - t0
    finally:
        shutil.rmtree(d, ignore_errors=True)


def moves(base_host, token, ids, stop, out):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    i = 0
    while not stop.is_set():
        item = ids[i % len(ids)]
        i += 1
        body = json.dumps({"stage": "topic", "after_id": None}).encode()
        t0 = time.monotonic()
        conn.request("POST", f"/api/v1/workspaces/1/content/{item}/move", body=body,
                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        res = conn.getresponse()
        res.read()
        out.append((time.monotonic() - t0) * 1000)


def http_import(env, path2):
    token = subprocess.run([BIN, "token", "create", "--email", "director@kox.demo", "--name", "bench"],
                           env=env, check=True, capture_output=True, text=True).stdout.strip()
    proc = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{PORT}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(1000):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.01)
        base = f"http://127.0.0.1:{PORT}/api/v1/workspaces/1"
        board = call("GET", f"{base}/content/board", token)
        ids = [c["id"] for col in board.get("columns", []) for c in col.get("cards", [])
               if col.get("stage") in ("topic",)][:16] or [1]
        lat, stop = [], threading.Event()
        clients = [threading.Thread(target=moves, args=(base, token, ids, stop, lat), daemon=True) for _ in range(16)]
        before = rss_mb(proc.pid)
        peak = [before]

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_mb(proc.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        for c in clients:
            c.start()
        t0 = time.monotonic()
        with open(path2, "rb") as f:
            data = f.read()
        imp = call("POST", f"{base}/imports?kind=post_metrics&file_name=bench.csv", token, data, "application/octet-stream")
        del data
        call("POST", f"{base}/imports/{imp['id']}/commit", token, {"mapping": imp["mapping"], "skip_invalid": True})
        while call("GET", f"{base}/imports/{imp['id']}", token)["status"] == "committing":
            time.sleep(0.05)
        seconds = time.monotonic() - t0
        stop.set()
        for c in clients:
            c.join()
        sampler.join()
        lat.sort()
        p99 = lat[int(len(lat) * 0.99) - 1] if lat else float("nan")
        return {"http_seconds": seconds, "move_p99_ms": p99, "moves": len(lat), "rss_peak_mb": peak[0]}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()


def one_run(env, files, engine):
    subprocess.run([BIN, "demo"], env=env, check=True, capture_output=True)
    subprocess.run([BIN, "import", files["accounts"], "--workspace", "1", "--kind", "accounts"],
                   env=env, check=True, capture_output=True)
    first_s, out1 = cli_import(env, files["metrics"])
    again_s, out2 = cli_import(env, files["metrics"])
    r = {"rows_per_s": files["rows"] / first_s, "first_s": first_s, "reimport_s": again_s,
         "reimport_speedup": first_s / again_s, "first": out1.strip().splitlines()[-1],
         "again": out2.strip().splitlines()[-1]}
    if engine == "sqlite":
        r["bulk_s"] = bulk_baseline(files["metrics"], files["rows"])
        r["ratio"] = r["bulk_s"] / first_s
    r.update(http_import(env, files["metrics2"]))
    return r


def main():
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: make release (make bench does)")
    tmp = tempfile.mkdtemp(prefix="kox-bench-post-metrics-")
    results = []
    try:
        files = {"accounts": os.path.join(tmp, "accounts.csv"), "metrics": os.path.join(tmp, "metrics.csv"),
                 "metrics2": os.path.join(tmp, "metrics2.csv")}
        accounts_csv(files["accounts"])
        files["rows"] = metrics_csv(files["metrics"])
        metrics_csv(files["metrics2"], day0=200)
        for engine in ENGINES:
            runs = []
            for i in range(RUNS):
                d = os.path.join(tmp, f"{engine}{i}")
                os.makedirs(d)
                env = dict(os.environ, KOX_DATA_DIR=d, KOX_LOG="warn")
                drop = None
                if engine == "sqlite":
                    env["KOX_DATABASE_URL"] = f"sqlite://{d}/kox.db"
                else:
                    db = f"kox_bench_metrics_{os.getpid()}_{i}"
                    subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {db}"], check=True)
                    env["KOX_DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + "/" + db
                    drop = db
                try:
                    runs.append(one_run(env, files, engine))
                finally:
                    if drop:
                        subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {drop} WITH (FORCE)"], check=False)
            keys = [k for k, v in runs[0].items() if isinstance(v, (int, float))]
            results.append({"engine": engine, "runs": runs, **{k: statistics.median(r[k] for r in runs) for k in keys}})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nKOX post metric import — {files['rows']:,} rows, medians of {RUNS} runs")
    for r in results:
        bar = BARS[f"{r['engine']}_rows_per_s"]
        print(f"  {r['engine']:9} kox import           {r['rows_per_s']:10,.0f} rows/s  ratio to bar {r['rows_per_s'] / bar:.2f}  ({r['runs'][0]['first']})")
        if "ratio" in r:
            print(f"  {'':9} vs plain bulk insert  {r['ratio']:10.2f}         ratio to bar {r['ratio'] / BARS['ratio']:.2f}  (bulk {r['bulk_s']:.2f} s)")
        print(f"  {'':9} re-import             {r['reimport_speedup']:10.2f}x faster ratio to bar {r['reimport_speedup'] / BARS['reimport_speedup']:.2f}  ({r['runs'][0]['again']})")
        print(f"  {'':9} board move p99        {r['move_p99_ms']:10.1f} ms     ratio to bar {r['move_p99_ms'] / BARS['move_p99_ms']:.2f}  ({r['moves']:.0f} moves during the HTTP import, {r['http_seconds']:.1f} s)")
        print(f"  {'':9} server RSS peak       {r['rss_peak_mb']:10.1f} MB     ratio to bar {r['rss_peak_mb'] / BARS['rss_mb']:.2f}")
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "post_metrics.json"), "w") as f:
        json.dump(results, f, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
