import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { login, openMenu, uniq, type DemoUser } from './helpers';

// 内容日历 (issue 11): the views, dragging onto a blocked and then a free hour, the backlog onto a
// recurring slot, a viewer who may not drag, and another member's change arriving live.
// Every test makes its own account(s) and items through the API, so the demo's own schedule
// (the coming week's items, the two recurring slots) never decides what an assertion sees.

interface Ctx {
  ws: number;
  csrf: string;
  userId: number;
}

/** Workspace id, CSRF token and user id of a signed-in page, for direct API calls. */
async function session(page: Page): Promise<Ctx> {
  const me = await (await page.request.get('/api/v1/me')).json();
  const csrf = (await page.context().cookies()).find((c) => c.name === 'kox_csrf')?.value ?? '';
  return { ws: me.workspaces[0].id, csrf, userId: me.user.id };
}

async function signedIn(browser: Browser, user: DemoUser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, user);
  return page;
}

const TIER_RGB: Record<string, string> = {
  KOL: 'rgb(212, 56, 13)', // #d4380d
  KOC: 'rgb(22, 119, 255)', // #1677ff
  KOE: 'rgb(56, 158, 13)', // #389e0d
  KOS: 'rgb(212, 136, 6)', // #d48806
};

// ---- days and hours in the workspace's zone (the calendar lays itself out there) ----

const pad = (n: number) => String(n).padStart(2, '0');

function zonedParts(ms: number, zone: string): { date: string; hour: number; minute: number } {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, hour: p.hour % 24, minute: p.minute };
}

/** The moment of a wall-clock time (`HH:mm`) of a day in the zone, as the API writes it. */
function zonedToUtc(date: string, time: string, zone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, h, mi);
  let ms = wall;
  // Two rounds settle the zone's offset at that moment.
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(ms, zone);
    const [py, pm, pd] = p.date.split('-').map(Number);
    ms += wall - Date.UTC(py, pm - 1, pd, p.hour, p.minute);
  }
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** 0 = Monday … 6 = Sunday. */
const weekday = (date: string) => (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
const mondayOf = (date: string) => addDays(date, -weekday(date));
const sameMoment = (a: string | null | undefined, b: string) => !!a && Date.parse(a) === Date.parse(b);

interface Clock {
  zone: string;
  /** the server's now */
  now: number;
  /** today in the workspace's zone, by the server's clock */
  today: string;
  /** the Monday of the server's current week */
  monday: string;
}

/** The server's clock (its Date header) and the workspace's zone: the dates every test computes from. */
async function serverClock(page: Page): Promise<Clock> {
  const res = await page.request.get('/api/v1/me');
  const zone = (await res.json()).workspaces[0].time_zone as string;
  const date = res.headers()['date'];
  const now = date ? Date.parse(date) : Date.now();
  const today = zonedParts(now, zone).date;
  return { zone, now, today, monday: mondayOf(today) };
}

// ---- data through the API ----

/** A call of the workspace's API as the page's member (CSRF header on writes); it must succeed. */
async function api<T = unknown>(page: Page, ctx: Ctx, method: 'POST' | 'PUT' | 'PATCH' | 'GET', path: string, data?: unknown): Promise<T> {
  const res = await page.request.fetch(`/api/v1/workspaces/${ctx.ws}${path}`, {
    method,
    headers: method === 'GET' ? {} : { 'X-CSRF-Token': ctx.csrf },
    ...(data === undefined ? {} : { data }),
  });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}

interface Item {
  id: number;
  version: number;
  title: string;
  planned_at: string | null;
}

async function activePlatform(page: Page, ctx: Ctx): Promise<string> {
  const platforms = await api<{ code: string; active: boolean }[]>(page, ctx, 'GET', '/platforms');
  return platforms.find((p) => p.active)!.code;
}

/** A fresh account of the tier (so no demo item sits beside the test's own), owned by `owners`. */
async function newAccount(page: Page, ctx: Ctx, tier: string, owners: number[]): Promise<{ id: number }> {
  const handle = `cal_e2e_${uniq()}`;
  const account = await api<{ id: number }>(page, ctx, 'POST', '/accounts', {
    tier,
    platform: await activePlatform(page, ctx),
    handle,
    display_name: `日历测试 ${tier}`,
    ownership: 'brand_owned',
    owner_ids: owners,
  });
  return { id: account.id };
}

async function newItem(page: Page, ctx: Ctx, accountId: number, title: string, plannedAt: string | null): Promise<Item> {
  return api<Item>(page, ctx, 'POST', '/content', { stage: 'draft', title, body: '日历拖拽测试', account_id: accountId, planned_at: plannedAt });
}

const getItem = (page: Page, ctx: Ctx, id: number) => api<Item>(page, ctx, 'GET', `/content/${id}`);

async function memberId(page: Page, ctx: Ctx, email: string): Promise<number> {
  const members = await api<{ email: string; user_id: number }[]>(page, ctx, 'GET', '/members');
  return members.find((m) => m.email === email)!.user_id;
}

// ---- the page ----

const calItems = (scope: Page | Locator) => scope.locator('[data-testid^="cal-item-"][data-tier]');

/**
 * A native HTML5 drag (the calendar's own, no library) from `source` onto `target` with
 * Playwright's dragTo. Both are brought into view first: a scroll in the middle of a native drag
 * can end it (the board spec drops near a column's top for the same reason).
 */
async function drag(source: Locator, target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await source.scrollIntoViewIfNeeded();
  await expect(source).toHaveAttribute('draggable', 'true');
  await source.dragTo(target);
}

/**
 * The week view of the day, by address; with `account`, only that account's items (the filter
 * of the address bar), so no crowd of other items ever folds the test's own under "还有 N 条".
 */
async function openWeek(page: Page, date: string, account?: number): Promise<void> {
  await page.goto(`/calendar?view=week&date=${date}${account ? `&account=${account}` : ''}`);
  await expect(page.getByTestId('cal-timegrid')).toBeVisible();
  await expect(page.getByTestId(`cal-day-${date}`)).toBeVisible();
}

test('内容日历 opens from the side menu: month coloured by tier, then the week and the timeline', async ({ page }) => {
  await login(page, 'director');
  const clock = await serverClock(page);
  await openMenu(page, '内容日历');
  await expect(page).toHaveURL(/\/calendar$/);
  await expect(page.getByTestId('calendar-page')).toBeVisible();

  // Month view by default: today's cell, items of several tiers, each in its tier's colour.
  const month = page.getByTestId('cal-month');
  await expect(month).toBeVisible();
  await expect(page.getByTestId('cal-title')).toHaveText(`${Number(clock.today.slice(0, 4))}年${Number(clock.today.slice(5, 7))}月`);
  await expect(month.getByTestId(`cal-day-${clock.today}`)).toHaveClass(/kox-cal-today/);
  await expect(calItems(month).first()).toBeVisible();
  const tiers = new Set<string>();
  for (const chip of await calItems(month).all()) {
    const tier = await chip.getAttribute('data-tier');
    if (!tier) continue;
    tiers.add(tier);
    await expect(chip).toHaveCSS('border-left-color', TIER_RGB[tier]);
  }
  expect(tiers.size, `tiers shown: ${[...tiers].join(', ')}`).toBeGreaterThan(1);
  // The legend names the tiers with the same colours.
  await expect(page.getByTestId('cal-legend')).toContainText('KOL');

  // 周: a grid of hours for the server's current week.
  await page.getByTestId('cal-view-switch').getByText('周', { exact: true }).click();
  await expect(page).toHaveURL(/view=week/);
  await expect(page.getByTestId('cal-timegrid')).toBeVisible();
  await expect(page.getByTestId('cal-title')).toHaveText(`${clock.monday} – ${addDays(clock.monday, 6).slice(5)}`);
  await expect(page.getByTestId(`cal-slot-${clock.monday}T08`)).toBeVisible();

  // 时间线: one row per account, the month's days across.
  await page.getByTestId('cal-view-switch').getByText('时间线', { exact: true }).click();
  await expect(page).toHaveURL(/view=timeline/);
  const timeline = page.getByTestId('cal-timeline');
  await expect(timeline).toBeVisible();
  await expect(timeline.locator('[data-testid^="cal-row-"]').first()).toBeVisible();
  await expect(timeline.getByTestId(`cal-day-${clock.today}`)).toBeVisible();
  await expect(calItems(timeline).first()).toBeVisible();
});

test('an item dragged next to another refuses with the reason and stays; dropped on a free hour it lands', async ({ page }) => {
  await login(page, 'director');
  const ctx = await session(page);
  const clock = await serverClock(page);
  const rules = await api<Record<string, Record<string, unknown>>>(page, ctx, 'GET', '/schedule-rules');
  try {
    // For this test the minimum gap (4 h) blocks rather than warns.
    await api(page, ctx, 'PUT', '/schedule-rules', { ...rules, min_gap: { mode: 'block', hours: 4 } });

    // Next week (every day of it ahead of the server's clock): on a fresh account, the other
    // post on Wednesday 14:00 and ours at 09:00 the same day.
    const wed = addDays(clock.monday, 9);
    const thu = addDays(clock.monday, 10);
    const account = await newAccount(page, ctx, 'KOC', []);
    const suffix = uniq();
    const other = await newItem(page, ctx, account.id, `午间首发 ${suffix}`, zonedToUtc(wed, '14:00', clock.zone));
    const mine = await newItem(page, ctx, account.id, `拖动测试 ${suffix}`, zonedToUtc(wed, '09:00', clock.zone));
    const startedAt = mine.planned_at!;
    expect(sameMoment(startedAt, zonedToUtc(wed, '09:00', clock.zone))).toBe(true);

    await openWeek(page, wed, account.id);
    const chip = page.getByTestId(`cal-item-${mine.id}`);
    await expect(page.getByTestId(`cal-slot-${wed}T09`).getByTestId(`cal-item-${mine.id}`)).toBeVisible();
    await expect(page.getByTestId(`cal-slot-${wed}T14`).getByTestId(`cal-item-${other.id}`)).toBeVisible();

    // 13:00 is an hour before the other post: refused, with the reason in Chinese.
    await drag(chip, page.getByTestId(`cal-slot-${wed}T13`));
    const refused = page.getByRole('dialog').filter({ hasText: `《${mine.title}》不能排到这个时间` });
    await expect(refused).toBeVisible();
    const reason = refused.getByTestId('conflict-min_gap');
    await expect(reason).toHaveAttribute('data-severity', 'block');
    await expect(reason).toContainText(`与 14:00 的《${other.title}》间隔仅 1 小时，账号最小间隔 4 小时`);
    await expect(reason).toContainText('间隔');
    await refused.getByRole('button', { name: '关闭' }).click();
    await expect(refused).toBeHidden();
    // Nothing moved: not on the page, not on the server.
    await expect(page.getByTestId(`cal-slot-${wed}T09`).getByTestId(`cal-item-${mine.id}`)).toBeVisible();
    await expect(page.getByTestId(`cal-slot-${wed}T13`).getByTestId(`cal-item-${mine.id}`)).toHaveCount(0);
    expect((await getItem(page, ctx, mine.id)).planned_at).toBe(startedAt);

    // Thursday 11:00 is free (a dry run says so), and the drop lands there.
    const free = zonedToUtc(thu, '11:00', clock.zone);
    const check = await api<{ blocking: boolean }>(page, ctx, 'POST', '/calendar/check', { item_id: mine.id, planned_at: free });
    expect(check.blocking).toBe(false);
    await drag(chip, page.getByTestId(`cal-slot-${thu}T11`));
    await expect(page.getByText(`已排到 ${thu.slice(5)} 11:00`)).toBeVisible();
    await expect(page.getByTestId(`cal-slot-${thu}T11`).getByTestId(`cal-item-${mine.id}`)).toBeVisible();
    await expect(page.getByTestId(`cal-slot-${wed}T09`).getByTestId(`cal-item-${mine.id}`)).toHaveCount(0);
    await expect.poll(async () => sameMoment((await getItem(page, ctx, mine.id)).planned_at, free)).toBe(true);
  } finally {
    // The workspace's rules as they were (the server may be shared by later specs).
    const restored = await api<typeof rules>(page, ctx, 'PUT', '/schedule-rules', rules);
    expect.soft(restored.min_gap).toEqual(rules.min_gap);
  }
});

test('a backlog item dropped on an open recurring slot is scheduled at the slot’s exact time and fills it', async ({ page }) => {
  await login(page, 'director');
  const ctx = await session(page);
  const clock = await serverClock(page);

  // The demo's KOE 晚间档 (Tue/Thu 20:00): its first open occurrence at least two hours ahead,
  // this week or the next.
  const slots = await api<{ items: { id: number; name: string; tier: string | null }[] }>(page, ctx, 'GET', '/recurring-slots');
  const evening = slots.items.find((s) => s.name === 'KOE 晚间档');
  expect(evening, 'the demo seeds the recurring slot KOE 晚间档').toBeTruthy();
  const range = { from: zonedToUtc(clock.monday, '00:00', clock.zone), to: zonedToUtc(addDays(clock.monday, 14), '00:00', clock.zone) };
  const view = await api<{ slots: { slot_id: number; at: string; filled_by: number[] }[] }>(
    page,
    ctx,
    'GET',
    `/calendar?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`,
  );
  const occurrence = view.slots.find((s) => s.slot_id === evening!.id && s.filled_by.length === 0 && Date.parse(s.at) > clock.now + 2 * 3_600_000);
  expect(occurrence, 'an open KOE 晚间档 in the next two weeks').toBeTruthy();
  const at = occurrence!.at;
  const day = zonedParts(Date.parse(at), clock.zone).date;

  // A KOE account's draft without a planned time: it waits in the backlog.
  const account = await newAccount(page, ctx, 'KOE', []);
  const item = await newItem(page, ctx, account.id, `晚间档待排 ${uniq()}`, null);

  await openWeek(page, day);
  const backlog = page.getByTestId('cal-backlog');
  await backlog.getByRole('searchbox', { name: '按标题或账号筛选' }).fill(item.title);
  const chip = backlog.getByTestId(`backlog-item-${item.id}`);
  await expect(chip).toBeVisible();
  const slot = page.getByTestId(`cal-open-slot-${occurrence!.slot_id}-${at}`);
  await expect(slot).toBeVisible();
  await expect(slot).toContainText('KOE 晚间档');

  await drag(chip, slot);
  await expect(page.getByText(`已排到 ${day.slice(5)} 20:00`).first()).toBeVisible();
  // On the server: at the slot's exact time, and the slot names it as filled.
  await expect.poll(async () => sameMoment((await getItem(page, ctx, item.id)).planned_at, at)).toBe(true);
  const after = await api<{ slots: { slot_id: number; at: string; filled_by: number[] }[] }>(
    page,
    ctx,
    'GET',
    `/calendar?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`,
  );
  expect(after.slots.find((s) => s.slot_id === occurrence!.slot_id && sameMoment(s.at, at))?.filled_by).toContain(item.id);
  // On the page: the item sits in the slot's hour, the dashed open slot is gone, the backlog no longer lists it.
  await expect(page.getByTestId(`cal-slot-${day}T20`).getByTestId(`cal-item-${item.id}`)).toBeVisible();
  await expect(slot).toHaveCount(0);
  await expect(chip).toHaveCount(0);
});

test('a viewer sees the calendar and the backlog but can drag nothing', async ({ page, browser }) => {
  // Something the viewer will see next week, made by the director.
  const director = await signedIn(browser, 'director');
  const dctx = await session(director);
  const clock = await serverClock(director);
  const tue = addDays(clock.monday, 8);
  const account = await newAccount(director, dctx, 'KOC', []);
  const planned = await newItem(director, dctx, account.id, `只读排期 ${uniq()}`, zonedToUtc(tue, '10:00', clock.zone));
  const waiting = await newItem(director, dctx, account.id, `只读待排 ${uniq()}`, null);
  await director.context().close();

  await login(page, 'viewer');
  const ctx = await session(page);
  await openMenu(page, '内容日历');
  await expect(page.getByTestId('cal-month')).toBeVisible();
  await expect(calItems(page.getByTestId('cal-month')).first()).toBeVisible();

  // What the viewer sees is never draggable: the month as a whole, then the test's account's week.
  await expect(page.getByTestId('cal-backlog').locator('[data-testid^="backlog-item-"]').first()).toBeVisible();
  await expect(page.locator('[data-testid^="cal-item-"][draggable="true"], [data-testid^="backlog-item-"][draggable="true"]')).toHaveCount(0);
  await openWeek(page, tue, account.id);
  const chip = page.getByTestId(`cal-item-${planned.id}`);
  await expect(page.getByTestId(`cal-slot-${tue}T10`).getByTestId(`cal-item-${planned.id}`)).toBeVisible();
  await page.getByTestId('cal-backlog').getByRole('searchbox', { name: '按标题或账号筛选' }).fill(waiting.title);
  await expect(page.getByTestId(`backlog-item-${waiting.id}`)).toBeVisible();
  // Nothing on the calendar or in the backlog is draggable for a viewer.
  await expect(chip).toHaveAttribute('draggable', 'false');
  await expect(page.getByTestId(`backlog-item-${waiting.id}`)).toHaveAttribute('draggable', 'false');
  await expect(page.locator('[data-testid^="cal-item-"][draggable="true"], [data-testid^="backlog-item-"][draggable="true"]')).toHaveCount(0);
  // The tooltip says why.
  await chip.hover();
  await expect(page.getByTestId(`cal-tip-${planned.id}`)).toContainText('你不能调整这条内容的排期');
  // A drag attempt moves nothing.
  await chip.dragTo(page.getByTestId(`cal-slot-${tue}T11`));
  await expect(page.getByTestId(`cal-slot-${tue}T10`).getByTestId(`cal-item-${planned.id}`)).toBeVisible();
  expect((await getItem(page, ctx, planned.id)).planned_at).toBe(planned.planned_at);
});

test("another member's change of a planned time appears on the open calendar without a reload", async ({ page, browser }) => {
  await login(page, 'director');
  const ctx = await session(page);
  const clock = await serverClock(page);
  const operatorId = await memberId(page, ctx, 'operator@kox.demo');
  // An account the operator owns, with an item on next Tuesday at 10:00.
  const account = await newAccount(page, ctx, 'KOC', [operatorId]);
  const tue = addDays(clock.monday, 8);
  const fri = addDays(clock.monday, 11);
  const item = await newItem(page, ctx, account.id, `实时改期 ${uniq()}`, zonedToUtc(tue, '10:00', clock.zone));

  await openWeek(page, tue, account.id);
  await expect(page.getByTestId(`cal-slot-${tue}T10`).getByTestId(`cal-item-${item.id}`)).toBeVisible();
  await page.evaluate(() => ((window as unknown as { __calNoReload: boolean }).__calNoReload = true));

  // The operator, in their own browser, moves it to Friday 15:00 through the API.
  const operator = await signedIn(browser, 'operator');
  const octx = await session(operator);
  const current = await getItem(operator, octx, item.id);
  const moved = zonedToUtc(fri, '15:00', clock.zone);
  await api(operator, octx, 'PATCH', `/content/${item.id}`, { version: current.version, planned_at: moved });
  await operator.context().close();

  // The director's calendar follows over the event stream: same page, no reload.
  await expect(page.getByTestId(`cal-slot-${fri}T15`).getByTestId(`cal-item-${item.id}`)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId(`cal-slot-${tue}T10`).getByTestId(`cal-item-${item.id}`)).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __calNoReload?: boolean }).__calNoReload)).toBe(true);
});
