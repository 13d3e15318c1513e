import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FullConfig } from '@playwright/test';

async function waitForHealth(url: string, child: ChildProcess | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`kox exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`KOX did not become healthy at ${url}/healthz: ${lastError}`);
}

/**
 * When KOX_E2E_BIN is set, start `$KOX_E2E_BIN serve --demo` on a fresh
 * SQLite database in a temporary directory and stop it after the run.
 * Otherwise the tests expect a server at KOX_E2E_URL.
 */
export default async function globalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const baseURL = config.projects[0]?.use.baseURL ?? 'http://127.0.0.1:18080';
  const bin = process.env.KOX_E2E_BIN;
  if (!bin) {
    await waitForHealth(baseURL, null, 15_000);
    return async () => {};
  }

  // Refuse to run against a stray server that happens to hold the port.
  const already = await fetch(`${baseURL}/healthz`).then(
    (r) => r.ok,
    () => false,
  );
  if (already) throw new Error(`${baseURL} is already in use; stop that server or unset KOX_E2E_BIN`);

  const dir = mkdtempSync(join(tmpdir(), 'kox-e2e-'));
  const bind = new URL(baseURL).host;
  const child = spawn(bin, ['serve', '--demo'], {
    env: {
      ...process.env,
      KOX_DATABASE_URL: `sqlite://${join(dir, 'kox.db')}`,
      KOX_BIND: bind,
      KOX_DATA_DIR: dir,
      // notifications.spec.ts adds a webhook channel on this machine (http://127.0.0.1:9/hook).
      KOX_ALLOW_PRIVATE_TARGETS: '1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitForHealth(baseURL, child, 60_000);
  } catch (e) {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  return async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
