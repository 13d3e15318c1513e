import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { login, uniq, type DemoUser } from './helpers';

// The landing page (工作台) by role, checked against what the API says for the same member:
// the numbers and lists are read from the API at the time of the check, never hard-coded.

interface Ctx {
  ws: number;
  userId: number;
  csrf: string;
}

interface Card {
  id: number;
  stage: string;
  review_state: string;
  assignee_id?: number | null;
  due_on?: string | null;
  overdue: boolean;
}

interface Column {
  stage: string;
  total: number;
  items: Card[];
}

const OPEN = ['topic', 'draft', 'review', 'publish', 'retro'];

/** Cards a block lists before "n more" sends the member to the board. */
const LIST_SIZE = 8;

async function session(page: Page): Promise<Ctx> {
  const me = await (await page.request.get('/api/v1/me')).json();
  const csrf = (await page.context().cookies()).find((c) => c.name === 'kox_csrf')?.value ?? '';
  return { ws: me.workspaces[0].id, userId: me.user.id, csrf };
}

async function apiGet<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(`/api/v1${path}`);
  expect(res.ok(), `${path}: ${res.status()}`).toBe(true);
  return (await res.json()) as T;
}

/** antd's Statistic groups thousands with commas. */
const shown = (n: number) => n.toLocaleString('en-US');

/** A signed-in page of its own (a second person at another desk). */
async function signedIn(browser: Browser, user: DemoUser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, user);
  return page;
}

/** The operator writes a draft on an account they own and, unless told otherwise, submits it for review. */
async function operatorDraft(op: Page, title: string, opts: { submit?: boolean; due_on?: string } = {}): Promise<number> {
  const ctx = await session(op);
  const owned = (await apiGet<{ items: { id: number }[] }>(op, `/workspaces/${ctx.ws}/accounts?owner=${ctx.userId}&status=active&limit=1`)).items;
  expect(owned.length, 'the demo operator owns an active account').toBeGreaterThan(0);
  const created = await op.request.post(`/api/v1/workspaces/${ctx.ws}/content`, {
    headers: { 'X-CSRF-Token': ctx.csrf },
    data: { stage: 'draft', title, body: '通勤路上的续航实测，一周记录', account_id: owned[0].id, ...(opts.due_on ? { due_on: opts.due_on } : {}) },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as number;
  if (opts.submit !== false) {
    const submitted = await op.request.post(`/api/v1/workspaces/${ctx.ws}/content/${id}/review`, {
      headers: { 'X-CSRF-Token': ctx.csrf },
      data: { action: 'submit' },
    });
    expect(submitted.status(), await submitted.text()).toBe(200);
  }
  return id;
}

/** Sends reviewed items back to 稿件, so runs against one database do not pile up the review queue. */
async function rejectAll(page: Page, ids: number[]): Promise<void> {
  const ctx = await session(page);
  for (const id of ids) {
    await page.request.post(`/api/v1/workspaces/${ctx.ws}/content/${id}/review`, {
      headers: { 'X-CSRF-Token': ctx.csrf },
      data: { action: 'reject', reason: '端到端测试清理' },
    });
  }
}

const items = (block: Locator) => block.getByTestId('home-item');

/** Ids of the items a block lists, in order. */
const shownIds = (block: Locator) => items(block).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-item-id'))));

/** What waits for a decision: the review column's pending cards not assigned to the member, oldest first. */
async function expectedReviews(page: Page, ctx: Ctx): Promise<number[]> {
  const board = await apiGet<{ columns: Column[] }>(page, `/workspaces/${ctx.ws}/content/board`);
  return board.columns
    .find((c) => c.stage === 'review')!
    .items.filter((c) => c.review_state === 'pending' && c.assignee_id !== ctx.userId)
    .map((c) => c.id)
    .sort((a, b) => a - b)
    .slice(0, LIST_SIZE);
}

/** The member's own cards: overdue first, then by stage, then by due date (undated last), then by age. */
async function expectedMine(page: Page, ctx: Ctx): Promise<number[]> {
  const board = await apiGet<{ columns: Column[] }>(page, `/workspaces/${ctx.ws}/content/board?mine=true`);
  const due = (c: Card) => c.due_on ?? '9999-12-31';
  return board.columns
    .filter((c) => OPEN.includes(c.stage))
    .flatMap((c) => c.items)
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || OPEN.indexOf(a.stage) - OPEN.indexOf(b.stage) || due(a).localeCompare(due(b)) || a.id - b.id)
    .map((c) => c.id)
    .slice(0, LIST_SIZE);
}

test('a director lands on the overview: the matrix, the board counts and the reviews waiting on them, live', async ({ browser }) => {
  const op = await signedIn(browser, 'operator');
  const title = `待总监审核 ${uniq()}`;
  const id = await operatorDraft(op, title);
  const ids = [id];

  const page = await signedIn(browser, 'director');
  try {
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole('menu').getByRole('menuitem', { name: '工作台' })).toHaveClass(/ant-menu-item-selected/);
    // Not the accounts table: the director's blocks.
    await expect(page.getByTestId('accounts-table')).toHaveCount(0);
    await expect(page.getByTestId('home-myAccounts')).toHaveCount(0);
    const ctx = await session(page);

    // The matrix overview, as the overview API counts it.
    const overview = await apiGet<{ totals: { accounts: number } }>(page, `/workspaces/${ctx.ws}/accounts/overview`);
    await expect(page.getByTestId('home-matrix-accounts')).toContainText(shown(overview.totals.accounts));
    await expect(page.getByTestId('home-matrix-table')).toBeVisible();

    // The board's counts: each open column's total, and the overdue items across them.
    const board = await apiGet<{ columns: Column[] }>(page, `/workspaces/${ctx.ws}/content/board`);
    for (const stage of OPEN) {
      const column = board.columns.find((c) => c.stage === stage)!;
      await expect(page.getByTestId(`home-board-count-${stage}`), stage).toContainText(shown(column.total));
    }
    const overdue = await apiGet<{ columns: Column[] }>(page, `/workspaces/${ctx.ws}/content/board?overdue=true`);
    const overdueTotal = overdue.columns.filter((c) => OPEN.includes(c.stage)).reduce((s, c) => s + c.total, 0);
    await expect(page.getByTestId('home-board-overdue')).toContainText(shown(overdueTotal));
    await expect(page.getByTestId('home-board')).toContainText('本周截止');

    // Waiting on them: the review column's pending items, oldest first (the operator's draft
    // among them unless older ones fill the list).
    const decide = page.getByTestId('home-decide');
    await expect(decide).toContainText('待我处理');
    const waiting = await expectedReviews(page, ctx);
    expect(waiting.length).toBeGreaterThan(0);
    await expect.poll(() => shownIds(decide)).toEqual(waiting);
    await expect(items(decide).filter({ hasText: title })).toHaveCount(waiting.includes(id) ? 1 : 0);
    await expect(page.getByTestId('home-overdue')).toBeVisible();

    // Live: a draft submitted at another desk shows up without a reload, and the count follows.
    ids.push(await operatorDraft(op, `又一篇待审 ${uniq()}`));
    const reviewTotal = board.columns.find((c) => c.stage === 'review')!.total;
    await expect(page.getByTestId('home-board-count-review')).toContainText(shown(reviewTotal + 1));
    const after = await expectedReviews(page, ctx);
    await expect.poll(() => shownIds(decide)).toEqual(after);

    // Clicking an item opens it on the board.
    const first = items(decide).first().getByRole('link');
    const firstTitle = (await first.textContent()) ?? '';
    await first.click();
    await expect(page).toHaveURL(new RegExp(`/content\\?item=${after[0]}$`));
    const drawer = page.getByTestId('content-drawer');
    await expect(drawer.getByTestId('item-stage')).toHaveText('审核', { timeout: 20_000 });
    await expect(drawer.locator('.ant-drawer-title')).toHaveText(firstTitle);
  } finally {
    await op.context().close();
    await rejectAll(page, ids);
  }
});

test('an operator lands on their own items (overdue first) and accounts, not the director’s blocks', async ({ page }) => {
  await login(page, 'operator');
  const ctx = await session(page);
  const late = `逾期稿件 ${uniq()}`;
  const lateId = await operatorDraft(page, late, { submit: false, due_on: '2020-01-06' });
  try {
    await page.reload();
    await expect(page.getByRole('heading', { name: '工作台', exact: true })).toBeVisible();

    for (const other of ['home-board', 'home-decide', 'home-overdue', 'home-matrix', 'home-reviewQueue']) {
      await expect(page.getByTestId(other), other).toHaveCount(0);
    }
    await expect(page.getByTestId('accounts-table')).toHaveCount(0);

    // Their items, as the board lists them with mine=true: overdue first, the long-overdue draft among them.
    const mine = page.getByTestId('home-myItems');
    const expected = await expectedMine(page, ctx);
    expect(expected).toContain(lateId);
    await expect.poll(() => shownIds(mine)).toEqual(expected);
    await expect(items(mine).filter({ hasText: late })).toContainText('逾期');
    const board = await apiGet<{ columns: Column[] }>(page, `/workspaces/${ctx.ws}/content/board?mine=true`);
    for (const stage of OPEN) {
      const column = board.columns.find((c) => c.stage === stage)!;
      await expect(mine.getByTestId(`home-mine-count-${stage}`), stage).toContainText(String(column.total));
    }

    // Their accounts, as the accounts API lists them for the owner filter.
    const accounts = await apiGet<{ total: number; items: { handle: string }[] }>(
      page,
      `/workspaces/${ctx.ws}/accounts?owner=${ctx.userId}&sort=followers_desc&limit=10`,
    );
    expect(accounts.total).toBeGreaterThan(0);
    const block = page.getByTestId('home-myAccounts');
    await expect(block.getByTestId('home-myAccounts-total')).toHaveText(`共 ${accounts.total} 个账号`);
    await expect(block.locator('tbody tr.ant-table-row')).toHaveCount(accounts.items.length);
    await expect(block.locator('tbody tr.ant-table-row').first()).toContainText(`@${accounts.items[0].handle}`);
    await expect(block.getByTestId('home-myAccounts-link')).toHaveAttribute('href', `/accounts?owner=${ctx.userId}`);

    // Clicking an item opens it on their board.
    await items(mine).filter({ hasText: late }).getByRole('link', { name: late }).click();
    await expect(page).toHaveURL(new RegExp(`/content\\?mine=true&item=${lateId}$`));
    await expect(page.getByTestId('content-drawer').getByTestId('item-stage')).toHaveText('稿件', { timeout: 20_000 });
    await expect(page.getByTestId('content-drawer').locator('.ant-drawer-title')).toHaveText(late);
  } finally {
    // A draft never reviewed may be deleted: the next run starts from the same list.
    await page.request.delete(`/api/v1/workspaces/${ctx.ws}/content/${lateId}`, { headers: { 'X-CSRF-Token': ctx.csrf } });
  }
});

test('an editor lands on the review queue, oldest first, with the board counts', async ({ browser, page }) => {
  const op = await signedIn(browser, 'operator');
  const title = `待编辑审核 ${uniq()}`;
  const id = await operatorDraft(op, title);
  await op.context().close();

  await login(page, 'editor');
  try {
    const ctx = await session(page);
    const queue = page.getByTestId('home-reviewQueue');
    await expect(queue).toContainText('审核队列');
    const waiting = await expectedReviews(page, ctx);
    expect(waiting.length).toBeGreaterThan(0);
    await expect.poll(() => shownIds(queue)).toEqual(waiting);
    await expect(items(queue).filter({ hasText: title })).toHaveCount(waiting.includes(id) ? 1 : 0);
    await expect(page.getByTestId('home-board')).toBeVisible();
    for (const other of ['home-decide', 'home-myItems', 'home-myAccounts', 'home-matrix']) {
      await expect(page.getByTestId(other), other).toHaveCount(0);
    }

    await page.getByTestId('home-board-link').click();
    await expect(page).toHaveURL(/\/content$/);
    await expect(page.getByTestId('content-board')).toBeVisible();
    await page.goBack();
    await items(queue).first().getByRole('link').click();
    await expect(page).toHaveURL(new RegExp(`/content\\?item=${waiting[0]}$`));
    await expect(page.getByTestId('content-drawer').getByTestId('item-stage')).toHaveText('审核', { timeout: 20_000 });
  } finally {
    await rejectAll(page, [id]);
  }
});

test('a viewer reads the matrix and the board, and the address / leads home', async ({ page }) => {
  await login(page, 'viewer');
  await page.goto('/');
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByTestId('home-matrix')).toBeVisible();
  await expect(page.getByTestId('home-board')).toBeVisible();
  for (const other of ['home-decide', 'home-reviewQueue', 'home-myItems', 'home-myAccounts']) {
    await expect(page.getByTestId(other), other).toHaveCount(0);
  }
  await expect(page).toHaveTitle('工作台 · KOX');
});
