import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, email, openMenu, uniq, type DemoUser } from './helpers';

/** The demo's active launch campaign (crates/cli/src/demo.rs). */
const DEMO_CAMPAIGN = '星河S7 上市首发';
const TIERS = ['KOL', 'KOC', 'KOE', 'KOS'] as const;

interface Campaign {
  id: number;
  name: string;
  theme: string;
  required_hashtags: string[];
  budget_by_tier: Partial<Record<(typeof TIERS)[number], number>>;
}
interface Board {
  columns: { stage: string; name: string; total: number; items: { id: number; title: string; account_id?: number | null }[] }[];
}

/** `180000000` fen → `¥1,800,000.00`, as the page shows money. */
const yuan = (fen: number) => `¥${Math.floor(fen / 100).toLocaleString('zh-CN')}.${String(fen % 100).padStart(2, '0')}`;

/**
 * Signs in through the form and waits only for leaving /login: where members land after
 * signing in is not this spec's business, each test goes where it needs to.
 */
async function login(page: Page, user: DemoUser): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('邮箱').fill(email(user));
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.getByRole('menu').first()).toBeVisible();
}

/** Reads through the signed-in session, so the test compares the page with what the API says. */
async function apiGet<T>(page: Page, path: string): Promise<T> {
  const res = await page.request.get(`/api/v1${path}`);
  expect(res.ok(), `${path}: ${res.status()}`).toBe(true);
  return (await res.json()) as T;
}

async function demoCampaign(page: Page): Promise<{ ws: number; campaign: Campaign }> {
  const me = await apiGet<{ workspaces: { id: number }[] }>(page, '/me');
  const ws = me.workspaces[0].id;
  const list = await apiGet<{ items: Campaign[] }>(page, `/workspaces/${ws}/campaigns?q=${encodeURIComponent(DEMO_CAMPAIGN)}`);
  const campaign = list.items.find((c) => c.name === DEMO_CAMPAIGN);
  expect(campaign, 'the demo campaign exists').toBeTruthy();
  return { ws, campaign: campaign! };
}

test('a director opens a campaign from the list and sees its page, items and activity', async ({ page }) => {
  await login(page, 'director');
  await page.goto('/campaigns');
  await expect(page.getByTestId('campaigns-table')).toBeVisible();
  const { ws, campaign } = await demoCampaign(page);

  // The default columns fit the 1440×900 layout: no horizontal scrolling of the table.
  const table = page.getByTestId('campaigns-table');
  await expect(table.locator('tbody tr.ant-table-row').first()).toBeVisible();
  const overflow = await table.locator('.ant-table-content, .ant-table-body').first().evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  // The KPIs wait in the column picker; showing them adds the column, 恢复默认 takes it away again.
  await page.getByTestId('campaigns-columns').click();
  const panel = page.getByTestId('campaigns-columns-panel');
  await panel.locator('[data-key="target_kpis"]').getByRole('checkbox').check();
  await expect(table.locator('thead')).toContainText('目标 KPI');
  await panel.getByTestId('campaigns-columns-reset').click();
  await expect(table.locator('thead')).not.toContainText('目标 KPI');
  await page.keyboard.press('Escape');

  // Other specs add campaigns to the shared database: search, so the demo one is on the first page.
  await page.getByLabel('搜索').fill(DEMO_CAMPAIGN);
  await page.getByLabel('搜索').press('Enter');
  const row = table.locator('tbody tr.ant-table-row').filter({ hasText: DEMO_CAMPAIGN });
  // Hashtags and the owner are on screen, not past the right edge.
  for (const h of campaign.required_hashtags) await expect(row.getByText(h.startsWith('#') ? h : `#${h}`)).toBeInViewport();
  await expect(row.getByTestId('campaign-custom-owner')).toBeInViewport();

  await row.getByRole('link', { name: DEMO_CAMPAIGN }).click();
  await expect(page).toHaveURL(new RegExp(`/campaigns/${campaign.id}$`));
  await expect(page.getByTestId('campaign-title')).toHaveText(DEMO_CAMPAIGN);
  await expect(page.getByTestId('campaign-theme')).toHaveText(campaign.theme);
  for (const h of campaign.required_hashtags) await expect(page.getByTestId('campaign-hashtags')).toContainText(h);
  await expect(page.getByTestId('campaign-edit')).toBeVisible();

  // Budget by tier: every tier with a budget, and only those.
  const block = page.getByTestId('campaign-budget-block');
  for (const tier of TIERS) {
    const fen = campaign.budget_by_tier[tier] ?? 0;
    const shown = block.getByTestId(`budget-tier-${tier}`);
    if (fen > 0) await expect(shown.getByTestId('budget-tier-amount')).toHaveText(yuan(fen));
    else await expect(shown).toHaveCount(0);
  }

  // Counts by stage are the board's, filtered by this campaign.
  const board = await apiGet<Board>(page, `/workspaces/${ws}/content/board?campaign=${campaign.id}&limit=200`);
  const stages = board.columns.filter((c) => c.stage !== 'cancelled');
  expect(stages.reduce((s, c) => s + c.total, 0), 'the demo campaign has items').toBeGreaterThan(0);
  for (const col of stages) {
    const box = page.getByTestId(`stage-count-${col.stage}`);
    await expect(box.getByTestId('stage-name')).toHaveText(col.name);
    await expect(box.getByTestId('stage-total')).toHaveText(String(col.total));
  }

  // Narrowing to one stage lists that stage's items only.
  const items = page.getByTestId('campaign-items-table');
  const busiest = stages.reduce((a, b) => (b.total > a.total ? b : a));
  await page.getByTestId(`stage-count-${busiest.stage}`).click();
  await expect(items.getByTestId('campaign-item-stage').first()).toHaveText(busiest.name);
  const shownStages = await items.getByTestId('campaign-item-stage').allTextContents();
  expect(new Set(shownStages)).toEqual(new Set([busiest.name]));
  await page.getByTestId(`stage-count-${busiest.stage}`).click();

  // Accounts taking part, as the cards name them.
  const accounts = new Set(stages.flatMap((c) => c.items.map((i) => i.account_id)).filter((a) => a));
  expect(accounts.size).toBeGreaterThan(0);
  await page.getByRole('tab', { name: '按账号' }).click();
  await expect(page.getByTestId('campaign-accounts-count')).toHaveText(`参与账号 ${accounts.size} 个`);
  await expect(page.getByTestId('campaign-account-link')).toHaveCount(Math.min(accounts.size, 10));

  // First-pass rate: this campaign's row of the report by campaign.
  const report = await apiGet<{ key: string; reviewed: number; first_pass: number; rate: number | null }[]>(
    page,
    `/workspaces/${ws}/content/first-pass?by=campaign`,
  );
  const fp = report.find((r) => r.key === String(campaign.id));
  const firstPass = page.getByTestId('campaign-first-pass');
  await expect(firstPass.getByTestId('first-pass-reviewed')).toContainText(String(fp?.reviewed ?? 0));
  await expect(firstPass.getByTestId('first-pass-passed')).toContainText(String(fp?.first_pass ?? 0));
  if (fp && fp.reviewed > 0 && fp.rate !== null) {
    const pct = new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1 }).format(fp.rate);
    await expect(firstPass.getByTestId('first-pass-rate')).toContainText(pct);
  } else {
    await expect(firstPass.getByTestId('first-pass-rate')).toContainText('—');
    await expect(firstPass.getByTestId('first-pass-note')).toContainText('还没有内容完成首轮审核');
  }

  // Activity: the campaign's events, newest first, starting with its creation at the bottom.
  const events = await apiGet<{ items: unknown[] }>(page, `/workspaces/${ws}/events?entity_type=campaign&entity_id=${campaign.id}&limit=50`);
  const activity = page.getByTestId('campaign-activity').getByTestId('activity-item');
  await expect(activity).toHaveCount(events.items.length);
  await expect(activity.last()).toContainText('创建战役');

  // An item opens on the board, filtered by the campaign, with its drawer open.
  await page.getByRole('tab', { name: '按内容' }).click();
  const first = stages.find((c) => c.items.length > 0)!.items[0];
  await items.getByTestId('campaign-item-link').filter({ hasText: first.title }).first().click();
  await expect(page).toHaveURL(/\/content\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get('campaign')).toBe(String(campaign.id));
  const opened = Number(url.searchParams.get('item'));
  const titles = new Map(stages.flatMap((c) => c.items.map((i) => [i.id, i.title] as const)));
  const drawer = page.getByTestId('content-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByLabel('标题')).toHaveValue(titles.get(opened)!);
  await expect(page.getByTestId(`card-${opened}`)).toBeVisible();
});

test('a viewer sees a campaign page without the edit button', async ({ page }) => {
  await login(page, 'viewer');
  const { campaign } = await demoCampaign(page);
  await page.goto('/content');
  await openMenu(page, '战役');
  await page.getByLabel('搜索').fill(DEMO_CAMPAIGN);
  await page.getByLabel('搜索').press('Enter');
  // A click anywhere on the row (here its budget) opens the page, not only the name.
  await page.getByTestId('campaigns-table').locator('tbody tr.ant-table-row').filter({ hasText: DEMO_CAMPAIGN }).getByTestId('campaign-budget').click();
  await expect(page).toHaveURL(new RegExp(`/campaigns/${campaign.id}$`));
  await expect(page.getByTestId('campaign-title')).toHaveText(DEMO_CAMPAIGN);
  await expect(page.getByTestId('campaign-theme')).toHaveText(campaign.theme);
  await expect(page.getByTestId('stage-counts')).toBeVisible();
  await expect(page.getByTestId('campaign-activity').getByTestId('activity-item').first()).toBeVisible();
  await expect(page.getByTestId('campaign-edit')).toHaveCount(0);
});

test("a campaign's page follows changes made elsewhere without a reload", async ({ page }) => {
  await login(page, 'director');
  const me = await apiGet<{ workspaces: { id: number }[]; csrf_token: string }>(page, '/me');
  const ws = me.workspaces[0].id;
  const headers = { 'x-csrf-token': me.csrf_token };
  const name = `实时战役 ${uniq()}`;
  const created = await page.request.post(`/api/v1/workspaces/${ws}/campaigns`, {
    headers,
    data: { name, theme: '初始主题', starts_on: '2026-12-01', ends_on: '2026-12-10', budget_fen: 0, budget_by_tier: {}, currency: 'CNY', required_hashtags: [], target_kpis: '', status: 'planned', custom: {} },
  });
  expect(created.ok(), await created.text()).toBe(true);
  const campaign = (await created.json()) as { id: number; version: number };

  await page.goto(`/campaigns/${campaign.id}`);
  await expect(page.getByTestId('campaign-theme')).toHaveText('初始主题');
  await expect(page.getByTestId('campaign-activity').getByTestId('activity-item')).toHaveCount(1);
  await expect(page.getByTestId('campaign-items')).toContainText('这个战役还没有内容');
  await expect(page.getByTestId('first-pass-rate')).toContainText('—');

  // Someone else edits it (the same session through the API, not through this page).
  const patched = await page.request.patch(`/api/v1/workspaces/${ws}/campaigns/${campaign.id}`, {
    headers,
    data: { theme: '改过的主题', version: campaign.version },
  });
  expect(patched.ok(), await patched.text()).toBe(true);
  await expect(page.getByTestId('campaign-theme')).toHaveText('改过的主题');
  await expect(page.getByTestId('campaign-activity').getByTestId('activity-item')).toHaveCount(2);
  await expect(page.getByTestId('campaign-activity').getByTestId('activity-item').first()).toContainText('修改战役');
});
