import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { addTag, login, openMenu, uniq, type DemoUser } from './helpers';

const PHRASE = '秒杀全网';
const EXCEPTION = '秒杀全网活动';
const LOOSEN_HINT = '放宽红线（停用、删除、由拦截降为提醒、修改词语、添加例外）需要总监或管理员';
const DEFAULT_NAMES = { topic: '选题', draft: '稿件', review: '审核', publish: '发布', retro: '复盘', cancelled: '已取消' };

/** Workspace id and CSRF token of the signed-in user, for setting things back through the API. */
async function apiContext(page: Page) {
  const me = await (await page.request.get('/api/v1/me')).json();
  const ws = me.workspaces[0];
  const csrf = (await page.context().cookies()).find((c) => c.name === 'kox_csrf')?.value ?? '';
  return { ws: ws.id as number, caps: ws.capabilities as string[], headers: { 'X-CSRF-Token': csrf } };
}

/** Removes the red line this spec adds, if an earlier run left it behind. */
async function deleteRedLine(page: Page, phrase: string) {
  const { ws, headers } = await apiContext(page);
  const res = await page.request.get(`/api/v1/workspaces/${ws}/red-lines`);
  if (!res.ok()) return;
  for (const r of (await res.json()) as { id: number; phrase: string }[]) {
    if (r.phrase === phrase) await page.request.delete(`/api/v1/workspaces/${ws}/red-lines/${r.id}`, { headers });
  }
}

/** The demo's board settings: default column names, no WIP limits, one required review. */
async function restoreContentSettings(page: Page) {
  const { ws, caps, headers } = await apiContext(page);
  if (!caps.includes('workspace.manage')) return;
  await page.request.put(`/api/v1/workspaces/${ws}/content/settings`, {
    headers,
    data: { stage_names: DEFAULT_NAMES, wip_limits: {}, approval: { mode: 'required', steps: [] } },
  });
}

const contentSettingsRoute = (page: Page) => page.waitForURL(/\/settings\/content$/);

/** Adds one option to a multiple-choice select (its dropdown stays open, so it is closed with Escape). */
async function addOption(page: Page, scope: Locator, label: string, option: string) {
  const input = scope.getByLabel(label, { exact: true });
  const select = input.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  // The options list can still be loading or re-rendering when the first click lands: the pick is
  // retried until the select holds the option.
  await expect(async () => {
    if ((await open.count()) === 0) await input.click();
    await input.fill(option);
    await open.last().locator('.ant-select-item-option').filter({ hasText: option }).first().click({ timeout: 2_000 });
    await expect(select).toContainText(option, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await input.press('Escape');
  await expect(open).toHaveCount(0);
}

/** Picks an approval mode; the button-style radios hide their inputs, so the label is clicked. */
const chooseMode = (page: Page, mode: string) => page.locator('label.ant-radio-button-wrapper', { hasText: mode }).click();

test('admin adds a red line with an exception and the try-out box marks it', async ({ page }) => {
  await login(page, 'admin');
  await deleteRedLine(page, PHRASE);
  await openMenu(page, '红线词库');
  await expect(page).toHaveURL(/\/settings\/red-lines$/);
  const table = page.getByTestId('red-lines-table');
  // The built-in advertising-law terms are there.
  await expect(table.locator('tbody tr.ant-table-row').filter({ hasText: '国家级' })).toContainText('内置');

  await page.getByRole('button', { name: '添加红线词' }).click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('红线词').fill(PHRASE);
  await modal.getByRole('radio', { name: '提醒' }).check();
  await addTag(modal, '例外', EXCEPTION);
  await modal.getByLabel('备注').fill('促销夸大用语');
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('红线词已添加')).toBeVisible();

  await page.getByLabel('搜索').fill('秒杀');
  const row = table.locator('tbody tr.ant-table-row').filter({ hasText: PHRASE });
  await expect(table.locator('tbody tr.ant-table-row')).toHaveCount(1);
  await expect(row).toContainText('提醒');
  await expect(row).toContainText(EXCEPTION);
  await expect(row.getByRole('switch')).toBeChecked();

  // An emoji before the hit must not shift the mark; the exception is not a hit.
  const tryBox = page.getByTestId('red-line-try');
  await tryBox.getByRole('textbox').fill(`🔥今晚${PHRASE}！详见${EXCEPTION}规则`);
  await tryBox.getByRole('button', { name: '检查' }).click();
  const result = page.getByTestId('red-line-try-result');
  await expect(result.locator('mark', { hasText: PHRASE })).toHaveCount(1);
  await expect(result.locator('mark', { hasText: PHRASE })).toHaveText(PHRASE);
  await expect(result).toContainText(`🔥今晚${PHRASE}！详见${EXCEPTION}规则`);

  // Switched off, it no longer hits.
  await row.getByRole('switch').click();
  await expect(page.getByText('红线词已停用')).toBeVisible();
  await tryBox.getByRole('button', { name: '检查' }).click();
  await expect(result.locator('mark', { hasText: PHRASE })).toHaveCount(0);

  // Delete it again; other specs share the database.
  await row.getByRole('button', { name: '删除' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('红线词已删除')).toBeVisible();
  await expect(row).toHaveCount(0);
});

test('viewer sees red lines and board settings read-only', async ({ page }) => {
  await login(page, 'viewer');
  await openMenu(page, '红线词库');
  await expect(page.getByTestId('red-lines-table').locator('tbody tr.ant-table-row').first()).toBeVisible();
  await expect(page.getByRole('button', { name: '添加红线词' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '编辑' })).toHaveCount(0);
  await expect(page.getByTestId('red-lines-table').getByRole('switch').first()).toBeDisabled();
  await expect(page.getByText('你可以查看红线词库，但没有修改权限。')).toBeVisible();

  await openMenu(page, '看板与审核');
  await contentSettingsRoute(page);
  await expect(page.getByLabel('列名 审核')).toBeDisabled();
  await expect(page.getByLabel('列名 审核')).toHaveValue('审核');
  await expect(page.getByRole('radio', { name: '必须审核' })).toBeChecked();
  await expect(page.getByRole('radio', { name: '必须审核' })).toBeDisabled();
  await expect(page.getByRole('button', { name: '保存' })).toHaveCount(0);
});

/** A page of its own signed-in browser context, on the red-line page. */
async function redLinesAs(browser: Browser, user: DemoUser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, user);
  await openMenu(page, '红线词库');
  await expect(page).toHaveURL(/\/settings\/red-lines$/);
  await expect(page.getByTestId('red-lines-table').locator('tbody tr.ant-table-row').first()).toBeVisible();
  return page;
}

test('an editor adds red lines but only a director loosens them', async ({ browser }) => {
  const phrase = `限时红线${uniq()}`;
  const rowOf = (page: Page, text: string) => page.getByTestId('red-lines-table').locator('tbody tr.ant-table-row').filter({ hasText: text });

  // The editor (red_lines.manage without red_lines.loosen) is told why, deletes nothing and
  // cannot switch an enabled line off.
  const ed = await redLinesAs(browser, 'editor');
  await expect(ed.getByText(LOOSEN_HINT)).toBeVisible();
  await expect(ed.getByTestId('red-lines-table').getByRole('button', { name: '删除' })).toHaveCount(0);
  const builtinSwitch = ed.getByRole('switch', { name: '启用 国家级', exact: true });
  await expect(builtinSwitch).toBeChecked();
  await expect(builtinSwitch).toBeDisabled();

  // Adding a line tightens, so the editor may.
  await ed.getByRole('button', { name: '添加红线词' }).click();
  const modal = ed.getByRole('dialog');
  await modal.getByLabel('红线词').fill(phrase);
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(ed.getByText('红线词已添加')).toBeVisible();
  await ed.getByLabel('搜索').fill(phrase);
  await expect(rowOf(ed, phrase)).toHaveCount(1);
  await expect(rowOf(ed, phrase)).toContainText('拦截');
  const edSwitch = ed.getByRole('switch', { name: `启用 ${phrase}`, exact: true });
  await expect(edSwitch).toBeChecked();
  await expect(edSwitch).toBeDisabled();
  await expect(rowOf(ed, phrase).getByRole('button', { name: '编辑' })).toBeVisible();
  await expect(rowOf(ed, phrase).getByRole('button', { name: '删除' })).toHaveCount(0);
  await ed.context().close();

  // The director gets no hint, may delete the lines that are not built in, and switches one off.
  const dir = await redLinesAs(browser, 'director');
  await expect(dir.getByText(LOOSEN_HINT)).toHaveCount(0);
  await expect(rowOf(dir, '国家级').getByRole('button', { name: '删除' })).toHaveCount(0);
  await dir.getByLabel('搜索').fill(phrase);
  const row = rowOf(dir, phrase);
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('button', { name: '删除' })).toBeVisible();
  const dirSwitch = dir.getByRole('switch', { name: `启用 ${phrase}`, exact: true });
  await expect(dirSwitch).toBeEnabled();
  await dirSwitch.click();
  await expect(dir.getByText('红线词已停用')).toBeVisible();
  await expect(dirSwitch).not.toBeChecked();

  // Delete it again; other specs share the database.
  await row.getByRole('button', { name: '删除' }).click();
  await dir.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
  await expect(dir.getByText('红线词已删除')).toBeVisible();
  await expect(row).toHaveCount(0);
  await dir.context().close();
});

test.describe('board and review settings', () => {
  test.afterEach(async ({ page }) => {
    await restoreContentSettings(page);
  });

  test('admin renames the review column, sets a WIP limit, switches to multi-level review and back', async ({ page }) => {
    await login(page, 'admin');
    await openMenu(page, '看板与审核');
    await contentSettingsRoute(page);
    const save = page.getByRole('button', { name: '保存' });
    const name = page.getByLabel('列名 审核');
    const wip = page.getByLabel('WIP 上限 审核');
    await expect(name).toHaveValue('审核');
    await expect(save).toBeDisabled();

    const renamed = `终审${uniq()}`.slice(0, 12);
    await name.fill(renamed);
    await wip.fill('3');
    await save.click();
    await expect(page.getByText('看板与审核设置已保存')).toBeVisible();
    await page.reload();
    await expect(name).toHaveValue(renamed);
    await expect(wip).toHaveValue('3');

    // Multi-level review needs at least one step with approvers.
    const { ws } = await apiContext(page);
    const members = (await (await page.request.get(`/api/v1/workspaces/${ws}/members`)).json()) as { name: string; role: string }[];
    const director = members.find((m) => m.role === 'director')!.name;
    await chooseMode(page, '多级审核');
    await save.click();
    await expect(page.getByText('多级审核至少需要一个步骤')).toBeVisible();
    await page.getByRole('button', { name: '添加步骤' }).click();
    const steps = page.getByTestId('approval-steps');
    await steps.getByLabel('步骤名称').fill('总监终审');
    await addOption(page, steps, '审核人', director);
    await steps.getByRole('radio', { name: '全部通过' }).check();
    await save.click();
    await expect(page.getByText('看板与审核设置已保存').last()).toBeVisible();
    await page.reload();
    await expect(page.getByRole('radio', { name: '多级审核' })).toBeChecked();
    await expect(steps.getByLabel('步骤名称')).toHaveValue('总监终审');
    await expect(steps).toContainText(director);
    await expect(steps.getByRole('radio', { name: '全部通过' })).toBeChecked();

    // Back to the demo's settings through the page: required review, default name, no limit.
    await chooseMode(page, '必须审核');
    await expect(steps).toHaveCount(0);
    await name.fill('');
    await wip.fill('');
    await save.click();
    await expect(save).toBeDisabled();
    await page.reload();
    await expect(name).toHaveValue('审核');
    await expect(wip).toHaveValue('');
    await expect(page.getByRole('radio', { name: '必须审核' })).toBeChecked();
    const stored = await (await page.request.get(`/api/v1/workspaces/${ws}/content/settings`)).json();
    expect(stored.stage_names).toEqual(DEFAULT_NAMES);
    expect(stored.wip_limits).toEqual({});
    expect(stored.approval).toEqual({ mode: 'required', steps: [] });
  });
});

test('admin sets the 小红书 title limit and link rules stay listed', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '平台');
  const row = page.getByTestId('platforms-table').locator('tbody tr.ant-table-row').filter({ hasText: 'xiaohongshu' });
  await expect(row).toContainText('xiaohongshu.com/explore/');

  await row.getByRole('button', { name: '编辑' }).click();
  const modal = page.getByRole('dialog');
  const title = modal.getByLabel('标题字数上限');
  const original = await title.inputValue();
  await title.fill('18');
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('平台已保存')).toBeVisible();
  await expect(row.locator('td').nth(2)).toHaveText('18');

  // Empty means no limit.
  await row.getByRole('button', { name: '编辑' }).click();
  await modal.getByLabel('标题字数上限').fill('');
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(row.locator('td').nth(2)).toHaveText('不限');

  // Put the demo's limit back.
  await row.getByRole('button', { name: '编辑' }).click();
  await modal.getByLabel('标题字数上限').fill(original);
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(row.locator('td').nth(2)).toHaveText(original || '不限');
});

test('the first-pass report groups by person and overall', async ({ page }) => {
  await login(page, 'analyst');
  await openMenu(page, '团队效率');
  await expect(page).toHaveURL(/\/content\/stats$/);
  const table = page.getByTestId('first-pass-table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader', { name: '一次通过率' })).toBeVisible();
  await page.getByTestId('first-pass-by').getByText('全部', { exact: true }).click();
  await expect(table.getByRole('columnheader', { name: '名称' })).toBeVisible();
  await expect(table.locator('tbody tr.ant-table-row')).toHaveCount(1);
});

test("the first-pass report runs up to the workspace's today, whatever the browser's zone", async ({ browser }) => {
  // Samoa is 19 hours behind Shanghai: most of the day its date is Shanghai's yesterday.
  const context = await browser.newContext({ timezoneId: 'Pacific/Pago_Pago' });
  const page = await context.newPage();
  await login(page, 'analyst');
  await page.goto('/content/stats');
  const shanghai = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  await expect(page.getByPlaceholder('结束日期')).toHaveValue(shanghai);
  // The demo's reviews were decided today in Shanghai, so the report is not empty.
  await expect(page.getByTestId('first-pass-table').locator('tbody tr.ant-table-row').first()).toBeVisible();
  await context.close();
});
