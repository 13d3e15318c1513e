#!/usr/bin/env node
// Notifications benchmark (issue: durable jobs and notifications).
//
// For each engine, RUNS times on a fresh database seeded with `kox demo`: release server(s)
// with allow_private_targets (the receiver is on 127.0.0.1), a generic webhook channel and a
// rule sending @mentions to it, and a local HTTP receiver (here, in this process) that answers
// 200 and counts every Idempotency-Key it sees.
//   - SQLite: one `kox serve`; PostgreSQL: two `kox serve` on the same database, the burst
//     sent to both (their workers share the queue: FOR UPDATE SKIP LOCKED)
//   - the burst: BURST comments, each @mentioning the editor, from 32 concurrent clients of a
//     director (each comment writes, in its own transaction, the editor's notification and one
//     webhook delivery with its job). Timed from the first request to the moment the receiver
//     has every delivery:                                    bar >= 2,000 deliveries/s
//   - duplicates (a key received twice) and missing (keys never received):  bar 0 and 0
//   - the foundation's list read (`GET …/accounts?limit=50`, 16 keep-alive clients) while the
//     queue drains, as a ratio to the same read idle just before:   bar >= 0.70
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
const LIST_CLIENTS = 16;

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

/** Requests per second of the list read over `ms`, from LIST_CLIENTS clients, until stop(). */
function listLoad(bases, tok, ws) {
  let n = 0;
  let stopped = false;
  const loops = Array.from({ length: LIST_CLIENTS }, async (_, i) => {
    const base = bases[i % bases.length];
    while (!stopped) {
      const res = await fetch(`${base}/api/v1/workspaces/${ws}/accounts?limit=50`, { headers: { authorization: `Bearer ${tok}` } });
      await res.arrayBuffer();
      if (res.ok) n += 1;
    }
  });
  const started = performance.now();
  return {
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return n / ((performance.now() - started) / 1000);
    },
  };
}

async function oneRun(engine, run) {
  const dir = mkdtempSync(join(tmpdir(), 'kox-bench-notify-'));
  let dbUrl;
  let dropDb = () => {};
  if (engine === 'sqlite') {
    dbUrl = `sqlite://${join(dir, 'kox.db')}`;
  } else {
    const name = `kox_bench_notify_${process.pid}_${run}`;
    execFileSync('psql', [PG_ADMIN, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    execFileSync('psql', [PG_ADMIN, '-qc', `CREATE DATABASE ${name}`]);
    dbUrl = PG_ADMIN.replace(/\/[^/]*$/, `/${name}`);
    dropDb = () => execFileSync('psql', [PG_ADMIN, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  }
  const env = { ...process.env, KOX_DATA_DIR: dir, KOX_DATABASE_URL: dbUrl, KOX_LOG: 'warn', KOX_ALLOW_PRIVATE_TARGETS: '1' };
  execFileSync(BIN, ['demo'], { env, stdio: 'ignore' });
  const recvPort = PORT + 10;
  const rx = await receiver(recvPort);
  const ports = engine === 'sqlite' ? [PORT] : [PORT, PORT + 1];
  const servers = ports.map((p) => spawn(BIN, ['serve', '--bind', `127.0.0.1:${p}`], { env, stdio: 'ignore' }));
  const bases = ports.map((p) => `http://127.0.0.1:${p}`);
  try {
    for (const b of bases) await waitHealthy(b);
    const admin = token(env, 'admin@kox.demo');
    const director = token(env, 'director@kox.demo');
    const ws = 1;
    const channel = await api(bases[0], admin, 'POST', `/workspaces/${ws}/notification-channels`, {
      name: '基准接收端',
      kind: 'webhook',
      config: { url: `http://127.0.0.1:${recvPort}/hook` },
      secret: 'bench-secret',
    });
    await api(bases[0], admin, 'POST', `/workspaces/${ws}/notification-rules`, { channel_id: channel.id, kinds: ['mention'] });
    const editor = (await api(bases[0], token(env, 'editor@kox.demo'), 'GET', '/me')).user.id;
    const board = await api(bases[0], director, 'GET', `/workspaces/${ws}/content/board?limit=50`);
    const item = board.columns.flatMap((c) => c.items)[0].id;

    // The list read idle, then while the burst is written and delivered.
    let load = listLoad(bases, director, ws);
    await sleep(3000);
    const idle = await load.stop();
    load = listLoad(bases, director, ws);
    const t0 = performance.now();
    let next = 0;
    let failed = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const base = bases[c % bases.length];
        while (next < BURST) {
          const i = next++;
          const res = await fetch(`${base}/api/v1/workspaces/${ws}/content/${item}/comments`, {
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
    const written = performance.now();
    const deadline = written + 120_000;
    while (rx.keys.size < BURST - failed && performance.now() < deadline) await sleep(5);
    const delivered = rx.lastAt();
    const during = await load.stop();
    await sleep(1500); // late duplicates would arrive now
    let duplicates = 0;
    for (const v of rx.keys.values()) if (v > 1) duplicates += v - 1;
    const missing = BURST - failed - rx.keys.size;
    const seconds = (delivered - t0) / 1000;
    return {
      per_second: rx.keys.size / seconds,
      seconds,
      write_seconds: (written - t0) / 1000,
      duplicates,
      missing,
      failed_requests: failed,
      list_idle: idle,
      list_during: during,
      list_ratio: during / idle,
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
        `(${m('per_second') >= BARS.per_second ? 'ok' : 'MISSED'}; all delivered in ${m('seconds').toFixed(2)} s, written in ${m('write_seconds').toFixed(2)} s)`,
    );
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
