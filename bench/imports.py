#!/usr/bin/env python3
"""Account import benchmark (issue: a new team's first week).

For each engine (SQLite, then PostgreSQL in a fresh database), RUNS times on a fresh database
seeded with `kox demo` and one release server with a director's API token:
  - a workbook of 10,000 new accounts (the team's matrix: 层级, 平台, 账号 ID, 昵称, 粉丝数 as
    "1.2万", 归属类型, 负责人 by name, 标签, 人设定位), written here as a plain XLSX
  - upload → preview → commit → poll until done, timed from the first byte sent to the
    import reporting `done`                                        bar <= 5 s
  - the server's RSS sampled every 20 ms from just before the upload to the end: peak over
    the RSS before                                                 bar <= 100 MB
  - afterwards, the same file imported again: every row unchanged (idempotent on
    platform + handle), and the timing of that second pass is reported
Each figure is the median of RUNS runs made in this one invocation; results go to
bench/results/imports.json.
"""

import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("KOX_BENCH_BIN") or os.path.join(ROOT, "target", "release", "kox")
RUNS = int(os.environ.get("KOX_BENCH_RUNS", "3"))
PORT = int(os.environ.get("KOX_BENCH_PORT", "18393"))
ROWS = int(os.environ.get("KOX_BENCH_IMPORT_ROWS", "10000"))
ENGINES = os.environ.get("KOX_BENCH_ENGINES", "sqlite,postgres").split(",")
PG_ADMIN = os.environ.get("KOX_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
BARS = {"seconds": 5.0, "rss_growth_mb": 100.0}

TIERS = ["KOL", "KOC", "KOC", "KOC", "KOE", "KOS"]
PLATFORMS = ["小红书", "抖音", "微博", "B站", "视频号"]
OWNERSHIP = {"KOL": "付费合作", "KOC": "合作方", "KOE": "员工授权", "KOS": "员工授权"}
OWNERS = ["李娜", "张伟", "刘洋", ""]
PERSONAS = ["新手妈妈，关注家庭出行与安全", "通勤族，记录每天 40 公里的城市路况", "数码博主，爱拆解车机系统",
            "露营爱好者，周末带着车去山里", "门店销售顾问，讲解金融方案与试驾"]


def col(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def workbook(rows):
    """A one-sheet XLSX with inline strings, as spreadsheet programs and exports write them."""
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    for r, row in enumerate(rows, start=1):
        out.write(f'<row r="{r}">')
        for c, v in enumerate(row):
            if v == "":
                continue
            out.write(f'<c r="{col(c)}{r}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>')
        out.write("</row>")
    out.write("</sheetData></worksheet>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '</Relationships>')
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="账号矩阵" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", out.getvalue())
    return buf.getvalue()


def matrix(n):
    rows = [["层级", "平台", "账号 ID", "昵称", "粉丝数", "归属类型", "负责人", "标签", "人设定位"]]
    for i in range(n):
        tier = TIERS[i % len(TIERS)]
        followers = f"{(i % 900) / 10 + 0.5:.1f}万" if i % 3 else str(800 + i * 7 % 9000)
        rows.append([tier, PLATFORMS[i % len(PLATFORMS)], f"bench_matrix_{i:05d}", f"星河车友{i:05d}", followers,
                     OWNERSHIP[tier], OWNERS[i % len(OWNERS)], "城市通勤、新能源" if i % 2 else "亲子",
                     PERSONAS[i % len(PERSONAS)]])
    return rows


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def call(method, url, token, body=None, content_type="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": content_type})
    with urllib.request.urlopen(req, timeout=120) as res:
        return json.loads(res.read() or b"null")


def import_file(base, token, data):
    """Upload, preview, commit, follow to the end: (seconds, preview, result)."""
    t0 = time.monotonic()
    imp = call("POST", f"{base}/imports?kind=accounts&file_name=matrix.xlsx", token, data, "application/octet-stream")
    mapping = imp["mapping"]
    preview = call("POST", f"{base}/imports/{imp['id']}/preview", token, {"mapping": mapping})
    call("POST", f"{base}/imports/{imp['id']}/commit", token, {"mapping": mapping})
    while True:
        state = call("GET", f"{base}/imports/{imp['id']}", token)
        if state["status"] != "committing":
            break
        time.sleep(0.02)
    return time.monotonic() - t0, preview, state


def one_run(env, data):
    subprocess.run([BIN, "demo"], env=env, check=True, capture_output=True)
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
        # Warm: one list read, so the figure is the import's and not the first request's.
        call("GET", f"{base}/accounts?limit=1", token)
        time.sleep(0.5)
        before = rss_mb(proc.pid)
        peak = [before]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], rss_mb(proc.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            seconds, preview, state = import_file(base, token, data)
        finally:
            stop.set()
            sampler.join()
        again_s, again_preview, again = import_file(base, token, data)
        result = state.get("result") or {}
        return {
            "seconds": seconds,
            "rss_before_mb": before,
            "rss_growth_mb": peak[0] - before,
            "created": result.get("created"),
            "preview_invalid": preview.get("invalid"),
            "status": state["status"],
            "reimport_seconds": again_s,
            "reimport_unchanged": (again.get("result") or {}).get("unchanged"),
            "reimport_creates_in_preview": again_preview.get("creates"),
        }
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()


def run_engine(name, make_env, data):
    runs = []
    for i in range(RUNS):
        env, cleanup = make_env(i)
        try:
            runs.append(one_run(env, data))
        finally:
            cleanup()
    med = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "rss_growth_mb", "reimport_seconds")}
    return {"engine": name, "runs": runs, **med}


def main():
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: make release (make bench does)")
    started = time.monotonic()
    data = workbook(matrix(ROWS))
    tmp = tempfile.mkdtemp(prefix="kox-bench-imports-")
    results = []
    try:
        def sqlite_env(i):
            d = os.path.join(tmp, f"s{i}")
            os.makedirs(d)
            return dict(os.environ, KOX_DATA_DIR=d, KOX_DATABASE_URL=f"sqlite://{d}/kox.db", KOX_LOG="warn"), lambda: None

        def pg_env(i):
            db = f"kox_bench_imports_{os.getpid()}_{i}"
            subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {db}"], check=True)
            d = os.path.join(tmp, f"p{i}")
            os.makedirs(d)
            url = PG_ADMIN.rsplit("/", 1)[0] + "/" + db
            drop = lambda: subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], check=False)
            return dict(os.environ, KOX_DATA_DIR=d, KOX_DATABASE_URL=url, KOX_LOG="warn"), drop

        if "sqlite" in ENGINES:
            results.append(run_engine("sqlite", sqlite_env, data))
        if "postgres" in ENGINES:
            results.append(run_engine("postgres", pg_env, data))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nKOX account import benchmark — {ROWS:,} rows from XLSX ({len(data) / 1024:.0f} KiB), medians of {RUNS} runs")
    for r in results:
        ok_s = r["seconds"] <= BARS["seconds"]
        ok_m = r["rss_growth_mb"] <= BARS["rss_growth_mb"]
        created = [x["created"] for x in r["runs"]]
        unchanged = [x["reimport_unchanged"] for x in r["runs"]]
        print(f"  {r['engine']:9} upload → preview → commit → done  {r['seconds']:6.2f} s   ratio to bar {r['seconds'] / BARS['seconds']:.2f} "
              f"({'ok' if ok_s else 'MISSED'}; created {created})")
        print(f"  {'':9} server RSS growth                  {r['rss_growth_mb']:6.1f} MB  ratio to bar {r['rss_growth_mb'] / BARS['rss_growth_mb']:.2f} "
              f"({'ok' if ok_m else 'MISSED'})")
        print(f"  {'':9} the same file again (all unchanged) {r['reimport_seconds']:6.2f} s   (unchanged {unchanged})")
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "imports.json"), "w") as f:
        json.dump({"rows": ROWS, "results": results, "bars": BARS}, f, indent=2, ensure_ascii=False)
    print(f"\nbench took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
