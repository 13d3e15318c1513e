#!/usr/bin/env python3
"""Content calendar benchmark (issue: the shared content calendar).

1. The slot check in-process: `cargo run --release --example slot_check` (kox-domain): 10,000
   scheduled items on 1,000 accounts over a month, 2,001 proposed slots each checked on its
   own                                                              bar: median <= 1 ms
   beside the same checks done all-pairs (every rule against every item).
2. For each engine (SQLite, then PostgreSQL in a fresh database), RUNS times on a fresh
   database seeded with `kox demo --scale 25` (1,000 accounts) and one release server:
   - 10,000 items created with a publish time spread over the coming month on those accounts
   - the month's calendar (items + conflict marks + slots + holidays), each read right after
     a write (PATCH of one item's planned_at), so none is served from a cache
                                                                    bar: p95 <= 50 ms
   - a coordination wave of 500 follow-ups: 500 accounts tagged for it, a webhook channel
     and rule for `wave_follow_up` pointing at a receiver here, the trigger published; time
     from the publish's answer to the 500th delivery at the receiver  bar: <= 5 s
Each figure is the median of RUNS runs made in this one invocation; results go to
bench/results/calendar.json.
"""

import http.client
import http.server
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
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("KOX_BENCH_BIN") or os.path.join(ROOT, "target", "release", "kox")
RUNS = int(os.environ.get("KOX_BENCH_RUNS", "3"))
PORT = int(os.environ.get("KOX_BENCH_PORT", "18395"))
RECV_PORT = PORT + 1
ITEMS = int(os.environ.get("KOX_BENCH_CALENDAR_ITEMS", "10000"))
FOLLOW_UPS = int(os.environ.get("KOX_BENCH_WAVE", "500"))
READS = int(os.environ.get("KOX_BENCH_CALENDAR_READS", "60"))
ENGINES = os.environ.get("KOX_BENCH_ENGINES", "sqlite,postgres").split(",")
PG_ADMIN = os.environ.get("KOX_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
BARS = {"check_median_ms": 1.0, "calendar_p95_ms": 50.0, "wave_seconds": 5.0}
WAVE_TAG = "压测跟发"


def iso(t):
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Api:
    """One keep-alive connection with a Bearer token."""

    def __init__(self, token):
        self.token = token
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)

    def call(self, method, path, body=None):
        raw = self.raw(method, path, body)
        return json.loads(raw) if raw else None

    def raw(self, method, path, body=None):
        """The answer's bytes, read to the end (what a timing of the server should cover)."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {self.token}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        self.conn.request(method, "/api/v1" + path, body=data, headers=headers)
        res = self.conn.getresponse()
        raw = res.read()
        if res.status >= 400:
            raise RuntimeError(f"{method} {path} → {res.status}: {raw[:300]!r}")
        return raw


class Receiver:
    """Counts the webhook deliveries of follow-up notices and when the last one came."""

    def __init__(self):
        self.count = 0
        self.last = None
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    kind = json.loads(body).get("type")
                except ValueError:
                    kind = None
                if kind == "wave_follow_up":
                    with outer.lock:
                        outer.count += 1
                        outer.last = time.monotonic()
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", RECV_PORT), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self):
        with self.lock:
            self.count = 0
            self.last = None

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def slot_check():
    out = subprocess.run(["cargo", "run", "--quiet", "--release", "-p", "kox-domain", "--example", "slot_check"],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    runs = [json.loads(out.strip().splitlines()[-1])]
    for _ in range(RUNS - 1):
        exe = os.path.join(ROOT, "target", "release", "examples", "slot_check")
        runs.append(json.loads(subprocess.run([exe], check=True, capture_output=True, text=True).stdout))
    return {k: statistics.median(r[k] for r in runs) for k in ("check_median_ms", "check_p95_ms", "all_pairs_median_ms", "build_ms")}


def token(env, email):
    return subprocess.run([BIN, "token", "create", "--email", email, "--name", "bench"],
                          env=env, check=True, capture_output=True, text=True).stdout.strip()


def seed_items(director_token, accounts, month_start):
    """ITEMS drafts spread over the month, created by 8 connections at once."""
    per = ITEMS // 8

    def work(w):
        api = Api(director_token)
        for i in range(w * per, (w + 1) * per):
            a = accounts[i % len(accounts)]
            at = month_start + timedelta(minutes=(i * 7919) % (30 * 24 * 60))
            api.call("POST", "/workspaces/1/content", {
                "stage": "draft", "title": f"月度排期 {i:05d}", "body": "压测内容",
                "account_id": a, "planned_at": iso(at),
            })
        return per

    with ThreadPoolExecutor(8) as ex:
        return sum(ex.map(work, range(8)))


def one_run(env, receiver):
    subprocess.run([BIN, "demo", "--scale", "25"], env=env, check=True, capture_output=True)
    director, admin = token(env, "director@kox.demo"), token(env, "admin@kox.demo")
    proc = subprocess.Popen([BIN, "serve", "--bind", f"127.0.0.1:{PORT}"],
                            env=dict(env, KOX_ALLOW_PRIVATE_TARGETS="true"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(1000):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except Exception:
                time.sleep(0.01)
        api = Api(director)
        accounts = [a["id"] for a in api.call("GET", "/workspaces/1/accounts?limit=200&offset=0")["items"]]
        offset = len(accounts)
        while True:
            page = api.call("GET", f"/workspaces/1/accounts?limit=200&offset={offset}")["items"]
            if not page:
                break
            accounts += [a["id"] for a in page]
            offset += len(page)
        now = datetime.now(timezone.utc)
        month_start = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        month_end = month_start + timedelta(days=30)
        t0 = time.monotonic()
        created = seed_items(director, accounts, month_start)
        seed_s = time.monotonic() - t0

        # The month, each read after a write.
        cal = f"/workspaces/1/calendar?from={iso(month_start)}&to={iso(month_end)}"
        first = api.call("GET", cal)
        ids = [i for i in first["items"] if i["stage"] == "draft"][:READS]
        lat = []
        for n, it in enumerate(ids):
            moved = month_start + timedelta(days=n % 28, hours=10, minutes=n)
            api.call("PATCH", f"/workspaces/1/content/{it['id']}", {"version": it["version"], "planned_at": iso(moved)})
            t = time.monotonic()
            body = api.raw("GET", cal)
            lat.append((time.monotonic() - t) * 1000)
            view = json.loads(body)
        lat.sort()
        items_in_view = len(view["items"])
        marked = view["conflict_count"]

        # A wave of FOLLOW_UPS.
        adm = Api(admin)
        channel = adm.call("POST", "/workspaces/1/notification-channels", {
            "name": "压测接收端", "kind": "webhook",
            "config": {"url": f"http://127.0.0.1:{RECV_PORT}/hook"}, "secret": "bench-secret"})
        adm.call("POST", "/workspaces/1/notification-rules", {"channel_id": channel["id"], "kinds": ["wave_follow_up"]})
        me = api.call("GET", "/me")
        operator = next(w for w in me["workspaces"] if w["id"] == 1)
        members = api.call("GET", "/workspaces/1/members")
        members = members["items"] if isinstance(members, dict) else members
        owner = next(m["user_id"] for m in members if m["role"] == "operator")

        def make_account(i):
            a = Api(director)
            return a.call("POST", "/workspaces/1/accounts", {
                "tier": "KOC", "platform": "xiaohongshu", "handle": f"wave_bench_{i:04d}", "display_name": f"跟发车主{i:04d}",
                "ownership": "partner", "status": "active", "followers": 1000 + i, "tags": [WAVE_TAG], "owner_ids": [owner]})

        with ThreadPoolExecutor(8) as ex:
            list(ex.map(make_account, range(FOLLOW_UPS)))
        campaigns = api.call("GET", "/workspaces/1/campaigns?limit=50")["items"]
        campaign = campaigns[0]["id"]
        api.call("POST", "/workspaces/1/coordination-orders", {
            "campaign_id": campaign, "name": "压测波次", "enabled": True,
            "trigger": {"tiers": ["KOL"], "platforms": ["douyin"], "account_tags": []},
            "follow_ups": [{"spec": {"tiers": ["KOC"], "platforms": [], "account_tags": [WAVE_TAG]}, "delay_minutes": 120}],
            "title_template": "跟发：{{trigger.title}}", "body_template": "转发 @{{trigger.account}}：{{trigger.url}}"})
        kol = next(a for a in api.call("GET", "/workspaces/1/accounts?limit=200&tier=KOL&platform=douyin")["items"] if a["status"] == "active")
        item = api.call("POST", "/workspaces/1/content", {
            "stage": "draft", "title": "星河S7 首测", "body": "首测视频", "account_id": kol["id"],
            "campaign_id": campaign, "hashtags": campaigns[0]["required_hashtags"]})
        api.call("POST", f"/workspaces/1/content/{item['id']}/review", {"action": "submit"})
        adm.call("POST", f"/workspaces/1/content/{item['id']}/review", {"action": "approve"})
        receiver.reset()
        api.call("POST", f"/workspaces/1/content/{item['id']}/publish",
                 {"post_url": "https://www.douyin.com/video/7441234567890123456"})
        published = time.monotonic()
        deadline = published + 60
        while time.monotonic() < deadline and receiver.count < FOLLOW_UPS:
            time.sleep(0.01)
        wave_s = (receiver.last - published) if receiver.count >= FOLLOW_UPS else float("inf")
        waves = api.call("GET", f"/workspaces/1/waves?trigger_item_id={item['id']}")["items"]
        return {
            "created": created,
            "seed_seconds": seed_s,
            "items_in_month": items_in_view,
            "items_with_conflicts": marked,
            "calendar_median_ms": statistics.median(lat),
            "calendar_p95_ms": lat[int(len(lat) * 0.95) - 1],
            "wave_seconds": wave_s,
            "delivered": receiver.count,
            "follow_ups": sum(w["total"] for w in waves),
            "waves": len(waves),
            "role_checked": operator["role"],
        }
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()


def run_engine(name, make_env, receiver):
    runs = []
    for i in range(RUNS):
        env, cleanup = make_env(i)
        try:
            runs.append(one_run(env, receiver))
        finally:
            cleanup()
    med = {k: statistics.median(r[k] for r in runs) for k in ("calendar_median_ms", "calendar_p95_ms", "wave_seconds")}
    return {"engine": name, "runs": runs, **med}


def main():
    if not os.path.exists(BIN):
        sys.exit("build the release binary first: make release (make bench does)")
    started = time.monotonic()
    check = slot_check()
    tmp = tempfile.mkdtemp(prefix="kox-bench-calendar-")
    receiver = Receiver()
    results = []
    try:
        def sqlite_env(i):
            d = os.path.join(tmp, f"s{i}")
            os.makedirs(d)
            return dict(os.environ, KOX_DATA_DIR=d, KOX_DATABASE_URL=f"sqlite://{d}/kox.db", KOX_LOG="warn"), lambda: None

        def pg_env(i):
            db = f"kox_bench_calendar_{os.getpid()}_{i}"
            subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {db}"], check=True)
            d = os.path.join(tmp, f"p{i}")
            os.makedirs(d)
            url = PG_ADMIN.rsplit("/", 1)[0] + "/" + db
            drop = lambda: subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], check=False)
            return dict(os.environ, KOX_DATA_DIR=d, KOX_DATABASE_URL=url, KOX_LOG="warn"), drop

        if "sqlite" in ENGINES:
            results.append(run_engine("sqlite", sqlite_env, receiver))
        if "postgres" in ENGINES:
            results.append(run_engine("postgres", pg_env, receiver))
    finally:
        receiver.close()
        shutil.rmtree(tmp, ignore_errors=True)

    ok = lambda v, bar: "ok" if v <= bar else "MISSED"
    print(f"\nKOX content calendar benchmark — medians of {RUNS} runs")
    c = check["check_median_ms"]
    print(f"  slot check, 10,000 items in-process   median {c * 1000:7.1f} µs  p95 {check['check_p95_ms'] * 1000:.1f} µs  "
          f"ratio to bar {c / BARS['check_median_ms']:.4f} ({ok(c, BARS['check_median_ms'])}); "
          f"all pairs {check['all_pairs_median_ms']:.2f} ms ({check['all_pairs_median_ms'] / c:,.0f}× slower)")
    for r in results:
        first = r["runs"][0]
        p95 = r["calendar_p95_ms"]
        print(f"  {r['engine']:9} month calendar ({first['items_in_month']:,} items, {first['items_with_conflicts']:,} marked), read after a write: "
              f"median {r['calendar_median_ms']:.1f} ms  p95 {p95:.1f} ms  ratio to bar {p95 / BARS['calendar_p95_ms']:.2f} ({ok(p95, BARS['calendar_p95_ms'])})")
        w = r["wave_seconds"]
        print(f"  {'':9} wave of {FOLLOW_UPS} follow-ups, publish → last delivery {w:.2f} s  ratio to bar {w / BARS['wave_seconds']:.2f} "
              f"({ok(w, BARS['wave_seconds'])}; delivered {[x['delivered'] for x in r['runs']]}, "
              f"follow-ups {[x['follow_ups'] for x in r['runs']]}, waves {[x['waves'] for x in r['runs']]})")
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "calendar.json"), "w") as f:
        json.dump({"slot_check": check, "results": results, "bars": BARS}, f, indent=2, ensure_ascii=False)
    print(f"\nbench took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
