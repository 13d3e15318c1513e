#!/usr/bin/env node
// Notifications benchmark (issue: durable jobs and notifications).
//
// For each engine, RUNS times on a fresh database seeded with `kox demo`: release servers with
// allow_private_targets (the receiver is on 127.0.0.1), a generic webhook channel and a rule
// sending @mentions to it, and a local HTTP receiver (here, in this process) that answers 200
// and counts every Idempotency-Key it sees.
//   - the burst: BURST comments, each @mentioning the editor, from 32 concurrent clients of a
//     director, to an API-only server (KOX_RUN_JOBS=0): each comment writes, in its own
//     transaction, the editor's notification and one webhook delivery with its job. Reported:
//     how fast the burst was written (notifications queued per second).
//   - the drain: that server stops; the sending servers start on the full queue (SQLite: one;
//     PostgreSQL: two on the same database, sharing the queue with FOR UPDATE SKIP LOCKED).
//     Timed from starting them to the receiver holding every delivery:
//                                                            bar >= 2,000 deliveries/s
//   - duplicates (a key received twice) and missing (keys never received):  bar 0 and 0
//   - the foundation's list read (`GET …/accounts?limit=50`, wrk with 16 connections spread
//     over the sending servers) while the queue drains, as a ratio to the same read idle
//     afterwards:
//                                                            bar >= 0.70
// Each figure is the median of RUNS runs of this one invocation; results go to
// bench/results/notifications.json.

import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const BIN = process.env.KOX_BENCH_BIN || join(ROOT, 'target', 'release', 'kox');
const RUNS = Number(process.env.KOX_BENCH_RUNS || 3);
const BURST = Number(process.env.KOX_BENCH_NOTIFICATIONS || 10000);
const PORT = Number(process.env.KOX_BENCH_PORT || 18395);
const PG_ADMIN = process.env.KOX_TEST_PG_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ENGINES = (process.env.KOX_BENCH_ENGINES || 'sqlite,postgres').split(',');
const BARS = { per_second: 2000, list_ratio: 0.7 };
const CLIENTS = 32;
// psql without its NOTICE lines (a database that is not there yet).
const QUIET_PSQL = { ...process.env, PGOPTIONS: '--client-min-messages=warning' };
const LIST_CLIENTS = 16;
const LIST_SECONDS = 2;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The local receiver: 200 to everything, every Idempotency-Key counted. */
function receiver(port) {
  const keys = new Map();
  let last = 0;
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      const k = req.headers['idempotency-key'];
      if (k) keys.set(k, (keys.get(k) || 0) + 1);
      last = performance.now();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve({ keys, lastAt: () => last, close: () => server.close() })),
  );
}

async function waitHealthy(base) {
  for (let i = 0; i < 1000; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await sleep(20);
  }
  throw new Error(`the server at ${base} did not start`);
}

function token(env, email) {
  return execFileSync(BIN, ['token', 'create', '--email', email, '--name', 'bench'], { env, stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .trim();
}

async function api(base, tok, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The foundation's list read for LIST_SECONDS, spread over the servers as a load balancer
 *  would: one wrk per server, LIST_CLIENTS connections in all; requests per second summed. */
async function listLoad(bases, tok, ws) {
  const each = await Promise.all(bases.map((b) => wrkList(b, tok, ws, Math.max(1, Math.floor(LIST_CLIENTS / bases.length)), bases.length > 1 ? 1 : 2)));
  return each.reduce((a, b) => a + b, 0);
}

/** One wrk on one server: requests per second, non-2xx answers counted out. */
function wrkList(base, tok, ws, connections, threads) {
  return new Promise((resolve, reject) => {
    const p = spawn('wrk', [`-t${threads}`, `-c${connections}`, `-d${LIST_SECONDS}s`, '-H', `Authorization: Bearer ${tok}`, `${base}/api/v1/workspaces/${ws}/accounts?limit=50`]);
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', () => {
      const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
      const bad = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const total = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
      resolve(total > 0 ? rps * (1 - bad / total) : 0);
    });
  });
}

async function oneRun(engine, run) {
  const dir = mkdtempSync(join(tmpdir(), 'kox-bench-notify-'));
  let dbUrl;
  let dropDb = () => {};
  if (engine === 'sqlite') {
    dbUrl = `sqlite://${join(dir, 'kox.db')}`;
  } else {
    const name = `kox_bench_notify_${process.pid}_${run}`;
    execFileSync('psql', [PG_ADMIN, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { env: QUIET_PSQL });
    execFileSync('psql', [PG_ADMIN, '-qc', `CREATE DATABASE ${name}`]);
    dbUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
    dropDb = () => execFileSync('psql', [PG_ADMIN, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`], { env: QUIET_PSQL });
  }
  const env = { ...process.env, KOX_DATA_DIR: dir, KOX_DATABASE_URL: dbUrl, KOX_LOG: 'warn', KOX_ALLOW_PRIVATE_TARGETS: '1' };
  execFileSync(BIN, ['demo'], { env, stdio: 'ignore' });
  const recvPort = PORT + 10;
  const rx = await receiver(recvPort);
  const senderPorts = engine === 'sqlite' ? [PORT + 1] : [PORT + 1, PORT + 2];
  let servers = [spawn(BIN, ['serve', '--bind', `127.0.0.1:${PORT}`], { env: { ...env, KOX_RUN_JOBS: '0' }, stdio: 'ignore' })];
  try {
    const apiBase = `http://127.0.0.1:${PORT}`;
    await waitHealthy(apiBase);
    const admin = token(env, 'admin@kox.demo');
    const director = token(env, 'director@kox.demo');
    const ws = 1;
    const channel = await api(apiBase, admin, 'POST', `/workspaces/${ws}/notification-channels`, {
      name: '基准接收端',
      kind: 'webhook',
      config: { url: `http://127.0.0.1:${recvPort}/hook` },
      secret: 'bench-secret',
    });
    await api(apiBase, admin, 'POST', `/workspaces/${ws}/notification-rules`, { channel_id: channel.id, kinds: ['mention'] });
    const editor = (await api(apiBase, token(env, 'editor@kox.demo'), 'GET', '/me')).user.id;
    const board = await api(apiBase, director, 'GET', `/workspaces/${ws}/content/board?limit=50`);
    const item = board.columns.flatMap((c) => c.items)[0].id;

    // The burst, queued on the API-only server.
    const t0 = performance.now();
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < BURST) {
          const i = next++;
          const res = await fetch(`${apiBase}/api/v1/workspaces/${ws}/content/${item}/comments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${director}`, 'content-type': 'application/json' },
            body: JSON.stringify({ body: `@陈思雨 第 ${i + 1} 条：请看一下封面和标题。`, mentions: [editor] }),
          });
          const text = await res.text();
          if (!res.ok) {
            if (failed === 0) console.error(`  a comment was refused: ${res.status} ${text}`);
            failed += 1;
          }
        }
      }),
    );
    const writeSeconds = (performance.now() - t0) / 1000;
    servers[0].kill('SIGTERM');
    await new Promise((r) => servers[0].once('exit', r));
    if (rx.keys.size !== 0) throw new Error('an API-only server sent deliveries');

    // The drain, by the sending servers, with the list read running against them.
    const bases = senderPorts.map((p) => `http://127.0.0.1:${p}`);
    const t1 = performance.now();
    servers = senderPorts.map((p) => spawn(BIN, ['serve', '--bind', `127.0.0.1:${p}`], { env, stdio: 'ignore' }));
    for (const b of bases) await waitHealthy(b);
    // The list read for its first LIST_SECONDS (the drain must still be running at the end of
    // them, or the figure would count idle time).
    const duringLoad = listLoad(bases, director, ws);
    const deadline = performance.now() + 120_000;
    while (rx.keys.size < BURST - failed && performance.now() < deadline) await sleep(2);
    const delivered = rx.lastAt();
    const during = await duringLoad;
    const measuredWhileDraining = delivered - t1 >= LIST_SECONDS * 1000;
    await sleep(1500); // late duplicates would arrive now
    const idle = await listLoad(bases, director, ws);
    let duplicates = 0;
    for (const v of rx.keys.values()) if (v > 1) duplicates += v - 1;
    const missing = BURST - failed - rx.keys.size;
    const seconds = (delivered - t1) / 1000;
    return {
      per_second: rx.keys.size / seconds,
      seconds,
      queued_per_second: (BURST - failed) / writeSeconds,
      write_seconds: writeSeconds,
      duplicates,
      missing,
      failed_requests: failed,
      list_idle: idle,
      list_during: during,
      list_ratio: during / idle,
      list_measured_while_draining: measuredWhileDraining,
    };
  } finally {
    for (const s of servers) s.kill('SIGTERM');
    rx.close();
    await sleep(300);
    dropDb();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  if (!existsSync(BIN)) throw new Error('build the release binary first: make release (make bench does)');
  const started = Date.now();
  console.log(`\nKOX notifications benchmark — ${BURST} notifications, medians of ${RUNS} runs`);
  const results = {};
  for (const engine of ENGINES) {
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await oneRun(engine, r));
    const m = (k) => median(runs.map((x) => x[k]));
    results[engine] = { runs, per_second: m('per_second'), list_ratio: m('list_ratio') };
    const dup = runs.reduce((a, x) => a + x.duplicates, 0);
    const miss = runs.reduce((a, x) => a + x.missing, 0);
    const label = engine === 'sqlite' ? 'sqlite (1 server)' : 'postgres (2 servers)';
    console.log(
      `  ${label.padEnd(21)} delivered ${m('per_second').toFixed(0).padStart(6)}/s   ratio to bar ${(m('per_second') / BARS.per_second).toFixed(2)} ` +
        `(${m('per_second') >= BARS.per_second ? 'ok' : 'MISSED'}; ${BURST} delivered in ${m('seconds').toFixed(2)} s from the senders' start)`,
    );
    console.log(`  ${''.padEnd(21)} the burst queued at ${m('queued_per_second').toFixed(0)} notifications/s (${m('write_seconds').toFixed(2)} s through the API, 32 clients)`);
    console.log(`  ${''.padEnd(21)} duplicates ${dup}, missing ${miss}, failed requests ${runs.reduce((a, x) => a + x.failed_requests, 0)} (${dup === 0 && miss === 0 ? 'ok' : 'MISSED'})`);
    console.log(
      `  ${''.padEnd(21)} list reads while draining ${m('list_during').toFixed(0)}/s vs idle ${m('list_idle').toFixed(0)}/s: ratio ${m('list_ratio').toFixed(2)} ` +
        `(${m('list_ratio') >= BARS.list_ratio ? 'ok' : 'MISSED'}; bar ${BARS.list_ratio})`,
    );
  }
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'notifications.json'), JSON.stringify({ bars: BARS, burst: BURST, results }, null, 2));
  console.log(`\nbench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
