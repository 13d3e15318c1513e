import { expect, test, type Locator, type Page } from '@playwright/test';
import { login, openMenu, uniq } from './helpers';

// Data in: a platform export (抖音 作品数据, GBK-encoded as the creator center writes it) imported
// by an analyst — a column the preset does not know mapped by hand, an error shown by row and
// column, the rest committed — then the post's numbers and grade in its 数据 tab, and the import
// undone from the list; the mapping saved, next week's export mapped by it. Operators enter numbers by hand for their own accounts' posts only;
// viewers read the list and the definitions. Accounts' daily followers go through the same wizard
// (no preset, the account chosen at upload), listed and filtered by their kind; imported comments
// give a post its 24 h reply status. Each test leaves the numbers as it found them.

interface Ctx {
  ws: number;
  csrf: string;
  zone: string;
}

async function session(page: Page): Promise<Ctx> {
  const me = await (await page.request.get('/api/v1/me')).json();
  const csrf = (await page.context().cookies()).find((c) => c.name === 'kox_csrf')?.value ?? '';
  return { ws: me.workspaces[0].id, csrf, zone: me.workspaces[0].time_zone };
}

async function api<T>(page: Page, ctx: Ctx, method: string, path: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(`/api/v1/workspaces/${ctx.ws}${path}`, { method, headers: { 'X-CSRF-Token': ctx.csrf }, data });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

// ---- GBK, as Chinese Excel and the platforms' exports write CSV ----

let gbkTable: Map<string, number[]> | null = null;

/** Encodes text in GBK with the platform's own decoder read backwards (no encoder package needed). */
function gbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gbk', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const ch = decoder.decode(Uint8Array.from([lead, trail]));
          if (ch.length === 1 && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
        } catch {
          // not a GBK character
        }
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else {
      const b = gbkTable.get(ch);
      if (!b) throw new Error(`no GBK bytes for ${ch}`);
      bytes.push(...b);
    }
  }
  return Buffer.from(bytes);
}

/** YYYY-MM-DD HH:mm of a moment in the workspace's zone, as the export writes 发布时间. */
function zoned(iso: string, zone: string): string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const p = Object.fromEntries(f.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * Picks an option of an antd Select found by its test id (typing `search` first into a searchable
 * one), retried while the dropdown slides into place, until the select shows `shows`.
 */
async function pick(page: Page, select: Locator, option: string, shows: string, search?: string): Promise<void> {
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await expect(async () => {
    if ((await open.count()) === 0) {
      await select.click();
      if (search !== undefined) await select.locator('input').fill(search);
    }
    await open.last().locator('.ant-select-item-option').filter({ hasText: option }).first().click({ timeout: 2_000 });
    await expect(select).toContainText(shows, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(open).toHaveCount(0);
}

interface Card {
  id: number;
  title: string;
  platform?: string | null;
  account_id?: number | null;
  account_handle?: string | null;
  published_at?: string | null;
}

interface Metrics {
  snapshots: { as_of: string; likes?: number | null; reads?: number | null; import_id?: number | null; updated_at?: string }[];
  grade?: { method: string } | null;
}

test('an analyst imports a GBK 抖音 export: a column mapped by hand, an error by row, commit, the numbers and grade in the post, undo', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, 'analyst');
  const ctx = await session(page);
  // Today in the workspace's zone, by the server's clock: the day the file's numbers are for.
  const served = await page.request.get('/api/v1/me');
  const today = zoned(new Date(served.headers()['date']).toISOString(), ctx.zone).slice(0, 10);

  // A published 抖音 post of the demo (the export carries its title and publish time, no link),
  // preferably one whose account has earlier posts with data, so it is graded against them.
  const board = await api<{ columns: { items: Card[] }[] }>(page, ctx, 'GET', '/content/board');
  const posts = board.columns.flatMap((c) => c.items).filter((c) => c.platform === 'douyin' && c.published_at && c.account_id && c.account_handle);
  expect(posts.length, 'published 抖音 posts in the demo').toBeGreaterThan(0);
  const data = await Promise.all(posts.map((p) => api<Metrics>(page, ctx, 'GET', `/content/${p.id}/metrics`)));
  const graded = posts.findIndex((_, i) => data[i].grade?.method === 'relative');
  const post = posts[Math.max(graded, 0)];
  const before = data[Math.max(graded, 0)];
  const hadToday = before.snapshots.some((s) => s.as_of === today);

  // The creator center's columns, except 收藏 written as 收藏次数 (no preset knows it); row 3
  // has a play count that is not a number. Far more interactions than the account's usual.
  const header = ['作品名称', '发布时间', '体裁', '播放量', '完播率', '点赞量', '分享量', '评论量', '收藏次数', '粉丝增量'];
  const rows = [
    [post.title, zoned(post.published_at!, ctx.zone), '视频', '10.2万', '32.5%', '15200', '880', '1200', '3000', '120'],
    ['一条写错的作品', zoned(post.published_at!, ctx.zone), '视频', '很多', '11.14%', '20', '1', '2', '3', '0'],
  ];
  const file = gbk([header, ...rows].map((r) => r.join(',')).join('\r\n'));
  const fileName = `作品数据_${Date.now().toString(36)}.csv`;

  await openMenu(page, '导入');
  await expect(page).toHaveURL(/\/data\/imports$/);
  await page.getByTestId('metric-import-new').click();
  const wizard = page.getByTestId('metric-import-wizard');

  // 抖音 exports are per account: the file goes only once the account is chosen.
  await wizard.getByTestId('metric-preset-douyin_works').click();
  await expect(wizard.getByTestId('metric-import-file')).toContainText('请先选择账号');
  await pick(page, wizard.getByTestId('metric-account'), `@${post.account_handle}`, `@${post.account_handle}`, post.account_handle!);
  await wizard.getByTestId('metric-import-file').locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: file });

  // Read as GBK; the preset mapped its columns, 收藏次数 is mapped by hand.
  await expect(wizard.getByTestId('metric-map-intro')).toContainText('共 2 行数据（表头在第 1 行）');
  await expect(wizard.getByTestId('metric-map-intro')).toContainText('GBK');
  await expect(wizard.getByTestId('metric-map-title')).toContainText('作品名称 (A)');
  await expect(wizard.getByTestId('metric-map-reads')).toContainText('播放量 (D)');
  await expect(wizard.getByTestId('metric-map-saves')).toContainText('不导入');
  await pick(page, wizard.getByTestId('metric-map-saves'), '收藏次数 (I)', '收藏次数 (I)');
  // The mapping, 收藏次数 included, saved for next week's export (offered under the file's name);
  // saved again under the same name, it is written over.
  const mappingName = `抖音周报_${uniq()}`;
  const nameInput = page.getByTestId('metric-mapping-name');
  await wizard.getByTestId('metric-save-mapping').click();
  await expect(nameInput).toHaveValue(fileName.replace(/\.csv$/, ''));
  await nameInput.fill(mappingName);
  await page.getByTestId('metric-mapping-submit').click();
  await expect(page.getByText('映射已保存')).toBeVisible();
  await expect(nameInput).toBeHidden();
  await wizard.getByTestId('metric-save-mapping').click();
  await nameInput.fill(mappingName);
  await page.getByTestId('metric-mapping-submit').click();
  await expect(page.getByText('这类文件已有同名的映射')).toBeVisible();
  await page.getByTestId('metric-mapping-replace').click();
  await expect(nameInput).toBeHidden();
  await expect(wizard.getByTestId('metric-sample')).toContainText(post.title);
  await wizard.getByTestId('metric-import-preview').click();

  // One snapshot for today (new, or changed when the demo has today's already), found by title
  // and time; row 3 refused at its cell.
  const counts = wizard.getByTestId('metric-preview-counts');
  await expect(counts).toContainText('数据行2');
  await expect(counts).toContainText(hadToday ? '有变化1' : '新增1');
  await expect(counts).toContainText('有错误1');
  await expect(wizard.getByTestId('metric-preview-posts')).toContainText('按标题1');
  const issues = wizard.getByTestId('metric-issues');
  await expect(issues.locator('tbody tr.ant-table-row')).toHaveCount(1);
  await expect(issues.locator('tbody tr.ant-table-row').first()).toContainText('3');
  await expect(issues).toContainText('D · 播放量');
  await expect(issues).toContainText('很多');
  await expect(issues).toContainText('应为数量');
  // The rows with errors as the file had them, with what is wrong, to fix and import again.
  const [download] = await Promise.all([page.waitForEvent('download'), wizard.getByTestId('metric-errors-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^导入错误-\d+\.xlsx$/);

  await expect(wizard.getByTestId('metric-import-commit')).toBeDisabled();
  await wizard.getByTestId('metric-skip-invalid').click();
  await wizard.getByTestId('metric-import-commit').click();
  await expect(wizard.getByTestId('metric-import-done')).toContainText(
    hadToday ? '新增 0，更新 1，无变化 0，跳过 1，新作品 0' : '新增 1，更新 0，无变化 0，跳过 1，新作品 0',
  );
  await expect(wizard.getByTestId('metric-result-issues')).toContainText('D · 播放量');
  await wizard.getByTestId('metric-import-close').click();

  // The list: the file, who, done.
  const row = page.getByTestId('metric-imports').locator('tbody tr').filter({ hasText: fileName });
  await expect(row).toContainText('孙佳');
  await expect(row).toContainText('已完成');

  // The post's 数据 tab: the numbers as read (10.2万, 32.5%), interactions 赞+藏+评, the grade and why.
  await page.goto(`/content?item=${post.id}`);
  const drawer = page.getByTestId('content-drawer');
  await drawer.getByRole('tab', { name: '数据' }).click();
  const latest = drawer.getByTestId('item-latest');
  await expect(latest).toContainText(`截至 ${today}`);
  await expect(latest).toContainText('102,000');
  await expect(latest).toContainText('15,200');
  await expect(latest).toContainText('32.5%');
  await expect(drawer.getByTestId('item-interactions')).toHaveText('19,400');
  const reason = drawer.getByTestId('item-grade-reason');
  if (graded >= 0) {
    // 19,400 against the account's usual: S, with the median and the multiple.
    await expect(reason).toContainText(/^S：互动 19,400，是该账号近 \d+ 篇中位数 [\d,.]+ 的 [\d,.]+ 倍（默认规则）$/);
    await expect(drawer.getByTestId('item-grade').getByTestId('grade-tag')).toHaveText('S');
  } else {
    await expect(reason).toContainText('历史不足');
  }
  await expect(drawer.getByTestId('item-snapshots').locator('tbody tr.ant-table-row').first()).toContainText(fileName);
  if (graded >= 0) {
    // The board's card carries the grade too.
    await page.goto('/content');
    await expect(page.getByTestId(`card-${post.id}`).getByTestId('grade-tag')).toHaveText('S');
  }

  // Undo from the list: the numbers it wrote are taken back.
  await page.goto('/data/imports');
  const done = page.getByTestId('metric-imports').locator('tbody tr').filter({ hasText: fileName });
  await done.getByRole('button', { name: '撤销' }).click();
  await page.locator('.ant-modal-confirm').getByRole('button', { name: '撤销' }).click();
  await expect(done).toContainText('已撤销');
  const after = await api<Metrics>(page, ctx, 'GET', `/content/${post.id}/metrics`);
  // The values as they were (which import wrote a restored value is not kept: compared apart).
  const values = (m: Metrics) => m.snapshots.map(({ import_id: _i, updated_at: _u, ...v }) => v);
  expect(values(after)).toEqual(values(before));

  // Next week's export with 收藏次数 moved to the front: the saved mapping, chosen before the
  // upload, finds the same columns by their headers — 收藏次数 too, which the preset does not know.
  const moved = (r: string[]) => [r[8], ...r.slice(0, 8), ...r.slice(9)];
  const nextName = fileName.replace(/\.csv$/, '_下周.csv');
  await page.getByTestId('metric-import-new').click();
  await wizard.getByTestId('metric-preset-douyin_works').click();
  await pick(page, wizard.getByTestId('metric-account'), `@${post.account_handle}`, `@${post.account_handle}`, post.account_handle!);
  await pick(page, wizard.getByTestId('metric-saved-mapping'), mappingName, mappingName);
  await wizard
    .getByTestId('metric-import-file')
    .locator('input[type=file]')
    .setInputFiles({ name: nextName, mimeType: 'text/csv', buffer: gbk([header, ...rows].map((r) => moved(r).join(',')).join('\r\n')) });
  await expect(wizard.getByTestId('metric-map-intro')).toContainText(nextName);
  await expect(wizard.getByTestId('metric-map-saves')).toContainText('收藏次数 (A)');
  await expect(wizard.getByTestId('metric-map-title')).toContainText('作品名称 (B)');
  await expect(wizard.getByTestId('metric-map-reads')).toContainText('播放量 (E)');
  await expect(wizard.getByTestId('metric-map-likes')).toContainText('点赞量 (G)');

  // The saved mapping is removed again.
  const saved = await api<{ items: { id: number; name: string }[] }>(page, ctx, 'GET', '/import-mappings?kind=post_metrics');
  const mine = saved.items.find((m) => m.name === mappingName);
  expect(mine, 'the saved mapping').toBeTruthy();
  const removed = await page.request.delete(`/api/v1/workspaces/${ctx.ws}/import-mappings/${mine!.id}`, { headers: { 'X-CSRF-Token': ctx.csrf } });
  expect(removed.status()).toBe(204);
});

test('a viewer reads the imports and the metric definitions but changes neither', async ({ page }) => {
  await login(page, 'viewer');
  await openMenu(page, '导入');
  await expect(page.getByTestId('metric-imports')).toBeVisible();
  await expect(page.getByTestId('metric-import-new')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '撤销' })).toHaveCount(0);

  await openMenu(page, '指标口径');
  await expect(page.getByTestId('metric-settings')).toContainText('指标口径由数据分析师、总监或管理员修改');
  await expect(page.getByTestId('metric-settings-save')).toHaveCount(0);
  await expect(page.getByTestId('grade-status')).toBeVisible();
});

test('an operator enters a post’s numbers by hand on an account they own, and only there', async ({ page }) => {
  await login(page, 'operator');
  const ctx = await session(page);
  const me = await (await page.request.get('/api/v1/me')).json();
  const owned = new Set(
    (await api<{ items: { id: number }[] }>(page, ctx, 'GET', `/accounts?owner=${me.user.id}&limit=200`)).items.map((a) => a.id),
  );
  const board = await api<{ columns: { items: Card[] }[] }>(page, ctx, 'GET', '/content/board');
  const published = board.columns.flatMap((c) => c.items).filter((c) => c.published_at && c.account_id);
  const mine = published.find((c) => owned.has(c.account_id!));
  const other = published.find((c) => !owned.has(c.account_id!));
  expect(mine && other, 'published posts on the operator’s accounts and on others').toBeTruthy();

  await page.goto(`/content?item=${mine!.id}`);
  const drawer = page.getByTestId('content-drawer');
  await drawer.getByRole('tab', { name: '数据' }).click();
  await drawer.getByTestId('metric-entry-open').click();
  const form = drawer.getByTestId('metric-entry');
  await form.getByTestId('metric-entry-likes').fill('4321');
  await form.getByTestId('metric-entry-comments').fill('210');
  await drawer.getByTestId('metric-entry-save').click();
  await expect(page.getByText('数据已录入')).toBeVisible();
  await expect(drawer.getByTestId('item-latest')).toContainText('4,321');
  await expect(drawer.getByTestId('item-snapshots').locator('tbody tr.ant-table-row').first()).toContainText('手动录入');

  // Someone else's account: the numbers are there to read, not to enter.
  await page.goto(`/content?item=${other!.id}`);
  await drawer.getByRole('tab', { name: '数据' }).click();
  await expect(drawer.getByTestId('item-metrics')).toBeVisible();
  await expect(drawer.getByTestId('metric-entry-open')).toHaveCount(0);

  // The entry is an import of its own: an analyst takes it back, as the demo had it.
  const entered = await api<{ snapshots: { import_id?: number | null }[]; latest?: { import_id?: number | null } | null }>(
    page,
    ctx,
    'GET',
    `/content/${mine!.id}/metrics`,
  );
  const importId = entered.latest?.import_id;
  expect(importId).toBeTruthy();
  await page.context().clearCookies();
  await login(page, 'analyst');
  const actx = await session(page);
  await api(page, actx, 'POST', `/imports/${importId}/undo`);
});

/** The day `days` before `day` (YYYY-MM-DD), as a calendar day. */
function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

test('an analyst imports an account’s daily followers: the account chosen at upload, a bad count refused by row and column, the rest committed, the list by kind', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await login(page, 'analyst');
  const ctx = await session(page);
  const served = await page.request.get('/api/v1/me');
  const today = zoned(new Date(served.headers()['date']).toISOString(), ctx.zone).slice(0, 10);
  // Days well in the past that no other run wrote (the import is undone at the end anyway).
  const first = daysBefore(today, 40 + Math.floor(Math.random() * 300));
  const second = daysBefore(first, -1);
  const accounts = await api<{ items: { id: number; handle: string; platform: string }[] }>(page, ctx, 'GET', '/accounts?limit=20');
  const account = accounts.items.find((a) => a.platform !== 'douyin') ?? accounts.items[0];
  expect(account, 'a demo account').toBeTruthy();

  // The file names no account; row 3's total is not a number.
  const file = Buffer.from(['日期,粉丝总数,新增粉丝', `${first},12000,30`, `${second},很多,40`].join('\n'));
  const fileName = `粉丝_${Date.now().toString(36)}.csv`;

  await openMenu(page, '导入');
  await page.getByTestId('metric-import-new').click();
  const wizard = page.getByTestId('metric-import-wizard');
  await wizard.getByTestId('metric-kind').getByText('账号粉丝', { exact: true }).click();
  // No presets for followers; the account is optional and of any platform.
  await expect(wizard.getByTestId('metric-preset')).toHaveCount(0);
  await expect(wizard.getByTestId('metric-import-file')).toContainText('点击或拖拽');
  await pick(page, wizard.getByTestId('metric-account'), `@${account.handle}`, `@${account.handle}`, account.handle);
  await wizard.getByTestId('metric-import-file').locator('input[type=file]').setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: file });

  // The server suggested the columns from the headers; the account came with the upload.
  await expect(wizard.getByTestId('metric-map-intro')).toContainText('共 2 行数据（表头在第 1 行）');
  await expect(wizard.getByTestId('metric-map-day')).toContainText('日期 (A)');
  await expect(wizard.getByTestId('metric-map-followers')).toContainText('粉丝总数 (B)');
  await expect(wizard.getByTestId('metric-map-followers_gained')).toContainText('新增粉丝 (C)');
  await expect(wizard.getByTestId('metric-map-account')).toContainText('不导入');
  await expect(wizard.getByTestId('metric-map-missing')).toHaveCount(0);
  await wizard.getByTestId('metric-import-preview').click();

  // One new day, one refused at its cell; no post matching for followers.
  const counts = wizard.getByTestId('metric-preview-counts');
  await expect(counts).toContainText('数据行2');
  await expect(counts).toContainText('新增1');
  await expect(counts).toContainText('有错误1');
  await expect(wizard.getByTestId('metric-preview-posts')).toHaveCount(0);
  const issues = wizard.getByTestId('metric-issues');
  await expect(issues.locator('tbody tr.ant-table-row')).toHaveCount(1);
  await expect(issues.locator('tbody tr.ant-table-row').first().locator('td').first()).toHaveText('3');
  await expect(issues).toContainText('B · 粉丝总数');
  await expect(issues).toContainText('很多');
  await expect(issues).toContainText('应为数量');

  await expect(wizard.getByTestId('metric-import-commit')).toBeDisabled();
  await wizard.getByTestId('metric-skip-invalid').click();
  await wizard.getByTestId('metric-import-commit').click();
  await expect(wizard.getByTestId('metric-import-done')).toContainText('新增 1，更新 0，无变化 0，跳过 1');
  await expect(wizard.getByTestId('metric-import-done')).not.toContainText('新作品');
  await expect(wizard.getByTestId('metric-result-issues')).toContainText('B · 粉丝总数');
  await wizard.getByTestId('metric-import-close').click();

  // The list: the kind, who, done; filtered by kind it stays, under another kind it is not there.
  const list = page.getByTestId('metric-imports');
  const row = list.locator('tbody tr').filter({ hasText: fileName });
  await expect(row.getByTestId('metric-import-kind')).toHaveText('账号粉丝');
  await expect(row).toContainText('孙佳');
  await expect(row).toContainText('已完成');
  await expect(row).toContainText('新增 1 · 更新 0 · 无变化 0 · 跳过 1');
  const filter = page.getByTestId('metric-import-kind-filter');
  await filter.getByText('账号粉丝', { exact: true }).click();
  await expect(row).toBeVisible();
  await expect(list.getByTestId('metric-import-kind').filter({ hasNotText: '账号粉丝' })).toHaveCount(0);
  await filter.getByText('评论', { exact: true }).click();
  await expect(row).toHaveCount(0);
  await filter.getByText('全部', { exact: true }).click();

  // Undone from the list, as the data was before.
  await row.getByRole('button', { name: '撤销' }).click();
  await page.locator('.ant-modal-confirm').getByRole('button', { name: '撤销' }).click();
  await expect(row).toContainText('已撤销');
});

test('imported comments give a post its 24 h reply status in the 数据 tab', async ({ page }) => {
  await login(page, 'analyst');
  const ctx = await session(page);
  const board = await api<{ columns: { items: Card[] }[] }>(page, ctx, 'GET', '/content/board');
  const published = board.columns.flatMap((c) => c.items).filter((c) => c.published_at);
  const items = await Promise.all(published.map((c) => api<{ id: number; post_url?: string | null }>(page, ctx, 'GET', `/content/${c.id}`)));
  const post = items.find((i) => i.post_url);
  expect(post, 'a published post with its link').toBeTruthy();
  const before = await api<{ replies?: { comments: number; replied_24h: number } | null }>(page, ctx, 'GET', `/content/${post!.id}/metrics`);

  // Two new comments: one answered within the hour, one two days later.
  const tag = Date.now().toString(36);
  const at = zoned(new Date(Date.now() - 5 * 86_400_000).toISOString(), ctx.zone);
  const later = zoned(new Date(Date.now() - 5 * 86_400_000 + 3_600_000).toISOString(), ctx.zone);
  const late = zoned(new Date(Date.now() - 3 * 86_400_000).toISOString(), ctx.zone);
  const csv = ['评论ID,作品链接,评论内容,评论时间,回复时间', `${tag}-1,${post!.post_url},续航多少,${at},${later}`, `${tag}-2,${post!.post_url},多少钱,${at},${late}`].join(
    '\n',
  );
  const res = await page.request.fetch(`/api/v1/workspaces/${ctx.ws}/imports?kind=comments&file_name=${tag}.csv`, {
    method: 'POST',
    headers: { 'X-CSRF-Token': ctx.csrf, 'Content-Type': 'application/octet-stream' },
    data: Buffer.from(csv),
  });
  expect(res.status(), await res.text()).toBe(201);
  const upload = (await res.json()) as { id: number; mapping: Record<string, number> };
  await api(page, ctx, 'POST', `/imports/${upload.id}/commit`, { mapping: upload.mapping, skip_invalid: false });
  await expect(async () => {
    const imp = await api<{ status: string }>(page, ctx, 'GET', `/imports/${upload.id}`);
    expect(imp.status).toBe('done');
  }).toPass({ timeout: 15_000 });

  const comments = (before.replies?.comments ?? 0) + 2;
  const replied = (before.replies?.replied_24h ?? 0) + 1;
  await page.goto(`/content?item=${post!.id}`);
  const drawer = page.getByTestId('content-drawer');
  await drawer.getByRole('tab', { name: '数据' }).click();
  await expect(drawer.getByTestId('item-replies')).toHaveText(
    `评论 ${comments.toLocaleString('en-US')} 条，24 小时内回复 ${replied.toLocaleString('en-US')} 条（${Math.round((replied * 100) / comments)}%）`,
  );

  // The comments imports are listed under their kind; undone, the post is as it was.
  await page.goto('/data/imports');
  await page.getByTestId('metric-import-kind-filter').getByText('评论', { exact: true }).click();
  await expect(page.getByTestId('metric-imports').locator('tbody tr').filter({ hasText: `${tag}.csv` }).getByTestId('metric-import-kind')).toHaveText('评论');
  await api(page, ctx, 'POST', `/imports/${upload.id}/undo`);
  const after = await api<{ replies?: { comments: number; replied_24h: number } | null }>(page, ctx, 'GET', `/content/${post!.id}/metrics`);
  expect(after.replies ?? null).toEqual(before.replies ?? null);
});
