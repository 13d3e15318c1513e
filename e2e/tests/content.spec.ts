import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { chooseOption, login, uniq, type DemoUser } from './helpers';

interface Ctx {
  ws: number;
  userId: number;
  csrf: string;
}

/** Workspace id, user id and CSRF token of a signed-in page, for direct API calls. */
async function session(page: Page): Promise<Ctx> {
  const me = await (await page.request.get('/api/v1/me')).json();
  const csrf = (await page.context().cookies()).find((c) => c.name === 'kox_csrf')?.value ?? '';
  return { ws: me.workspaces[0].id, userId: me.user.id, csrf };
}

interface Platform {
  code: string;
  name: string;
  url_patterns?: string[];
}

/** A post URL on the platform, built from its first link rule ("host/path-prefix"). */
function postUrl(p: Platform, id: string): string {
  const pattern = p.url_patterns?.[0];
  if (!pattern) throw new Error(`platform ${p.code} has no link rule`);
  const host = pattern.split('/')[0];
  return `https://${host.split('.').length === 2 ? `www.${pattern}` : pattern}${id}`;
}

/** Creates an item through the API as the signed-in user and returns its id. */
async function createItem(page: Page, ctx: Ctx, data: Record<string, unknown>): Promise<number> {
  const res = await page.request.post(`/api/v1/workspaces/${ctx.ws}/content`, { headers: { 'X-CSRF-Token': ctx.csrf }, data });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id as number;
}

async function signedIn(browser: Browser, user: DemoUser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, user);
  await page.goto('/content');
  await expect(page.getByTestId('content-board')).toBeVisible();
  return page;
}

/** The card with this title inside one board column. */
const cardIn = (page: Page, stage: string, title: string): Locator =>
  page.getByTestId(`column-${stage}`).locator('[data-card-id]').filter({ hasText: title });

test('a draft goes through review, rejection, approval, publishing and retro, live on two boards', async ({ browser }) => {
  test.setTimeout(180_000);
  const op = await signedIn(browser, 'operator');
  const ed = await signedIn(browser, 'editor');

  // The operator's own accounts, from the API (the demo assigns them; earlier specs may add more).
  const ctx = await session(op);
  const platforms: Platform[] = await (await op.request.get(`/api/v1/workspaces/${ctx.ws}/platforms`)).json();
  const owned = (await (await op.request.get(`/api/v1/workspaces/${ctx.ws}/accounts?owner=${ctx.userId}&status=active&limit=200`)).json())
    .items as { id: number; handle: string; platform: string }[];
  const withRules = owned.filter((a) => platforms.find((p) => p.code === a.platform)?.url_patterns?.length);
  const account = withRules.find((a) => a.platform === 'xiaohongshu') ?? withRules[0];
  expect(account, 'operator owns an account on a platform with link rules').toBeTruthy();
  const platform = platforms.find((p) => p.code === account.platform)!;
  const other = platforms.find((p) => p.code !== platform.code && p.url_patterns?.length)!;

  const title = `星河S7 通勤实测 ${uniq()}`;
  const reason = '「最」属于广告法禁用词，请改掉';

  // Operator: a new draft for their account, with a red-line word in the body.
  await op.getByTestId('content-new').click();
  const create = op.getByTestId('content-create-drawer');
  await expect(create.getByText('新建稿件')).toBeVisible();
  await create.getByLabel('标题').fill(title);
  await create.getByLabel('正文').fill('开了一周星河S7，这套辅助驾驶是全网最强的，通勤轻松很多。');
  await chooseOption(op, create, '账号', account.handle);
  await op.getByTestId('content-create-save').click();
  await expect(op.getByText('稿件已创建')).toBeVisible();

  // The new card opens; submit it for review.
  const opDrawer = op.getByTestId('content-drawer');
  await expect(opDrawer.getByTestId('item-stage')).toHaveText('稿件');
  await expect(cardIn(op, 'draft', title)).toBeVisible();
  await opDrawer.getByTestId('action-submit').click();
  await expect(opDrawer.getByTestId('item-stage')).toHaveText('审核');
  await expect(cardIn(op, 'review', title)).toBeVisible();

  // Editor: the card arrives in 审核 without a reload, with its red-line count.
  const edCard = cardIn(ed, 'review', title);
  await expect(edCard).toBeVisible({ timeout: 5_000 });
  await expect(edCard.getByTestId('card-red-lines')).toBeVisible();
  await expect(edCard.getByTestId('review-state')).toHaveText('待审');
  await edCard.click();
  const edDrawer = ed.getByTestId('content-drawer');
  await expect(edDrawer.getByTestId('item-stage')).toHaveText('审核');
  await expect(edDrawer.getByTestId('red-line-mark').first()).toContainText('最');
  await expect(edDrawer.getByTestId('action-approve')).toBeDisabled();

  // Editor rejects with a reason.
  await edDrawer.getByTestId('action-reject').click();
  const rejectDialog = ed.getByRole('dialog').filter({ hasText: '理由' });
  await rejectDialog.getByLabel('理由').fill(reason);
  await rejectDialog.getByRole('button', { name: '驳回' }).click();
  await expect(edDrawer.getByTestId('item-stage')).toHaveText('稿件');

  // Operator: back in 稿件 live, with the reason shown prominently.
  await expect(opDrawer.getByTestId('rejection-reason')).toContainText(reason, { timeout: 5_000 });
  await expect(opDrawer.getByTestId('item-stage')).toHaveText('稿件');
  await expect(cardIn(op, 'draft', title).getByTestId('review-state')).toHaveText('已驳回');

  // Operator fixes the body and resubmits.
  await opDrawer.getByLabel('正文').fill('开了一周星河S7，辅助驾驶在早晚高峰很稳，通勤轻松很多。');
  await opDrawer.getByTestId('content-save').click();
  await expect(op.getByText('内容已保存')).toBeVisible();
  await expect(opDrawer.getByTestId('checks-red-lines')).toHaveCount(0);
  await opDrawer.getByTestId('action-submit').click();
  await expect(opDrawer.getByTestId('item-stage')).toHaveText('审核');

  // Editor: the open drawer follows; the red line is gone and the item can be approved.
  await expect(edDrawer.getByTestId('item-stage')).toHaveText('审核', { timeout: 5_000 });
  await expect(edDrawer.getByTestId('red-line-mark')).toHaveCount(0);
  await edDrawer.getByTestId('action-approve').click();
  await expect(edDrawer.getByTestId('item-stage')).toHaveText('发布');
  await expect(cardIn(ed, 'publish', title)).toBeVisible();
  await expect(cardIn(op, 'publish', title)).toBeVisible({ timeout: 5_000 });

  // Operator: the publish pack, a link on the wrong platform, then the right one.
  await expect(opDrawer.getByTestId('item-stage')).toHaveText('发布');
  await opDrawer.getByTestId('action-publish-pack').click();
  const pack = op.getByTestId('publish-pack');
  await expect(pack.getByTestId('pack-account')).toContainText(account.handle);
  await expect(pack.getByTestId('pack-platform')).toHaveText(platform.name);
  await expect(pack.getByTestId('pack-copy-text')).toContainText(title);
  const urlInput = pack.getByLabel('发布链接');
  await urlInput.fill(postUrl(other, '7301234567890123456'));
  await op.getByTestId('publish-submit').click();
  // The refusal names the platform and what its links look like (its first link rule).
  const rule = platform.url_patterns![0];
  const example = `https://${rule.split('/')[0].split('.').length === 2 ? 'www.' : ''}${rule}…`;
  await expect(pack.getByText(`这不是${platform.name}的帖子链接。${platform.name}的链接形如 ${example}`)).toBeVisible();
  await expect(urlInput).toHaveAttribute('placeholder', example);
  await urlInput.fill(postUrl(platform, '6650a1b2c3d4e5f6a7b8c9d0'));
  await op.getByTestId('publish-submit').click();
  await expect(op.getByText('已登记发布，进入复盘')).toBeVisible();
  await expect(opDrawer.getByTestId('item-stage')).toHaveText('复盘');
  await expect(cardIn(op, 'retro', title)).toBeVisible();
  await expect(cardIn(ed, 'retro', title)).toBeVisible({ timeout: 5_000 });

  // Operator: the retro note closes the card on both boards.
  const retro = opDrawer.getByTestId('retro-form');
  await retro.getByLabel('复盘笔记').fill('通勤场景共鸣强，评论区多问续航，下次加续航实测。');
  await retro.getByRole('switch').click();
  await retro.getByTestId('retro-submit').click();
  await expect(opDrawer.getByTestId('retro-note')).toContainText('通勤场景共鸣强');
  await expect(cardIn(op, 'retro', title).getByTestId('card-closed')).toBeVisible();
  await expect(cardIn(ed, 'retro', title).getByTestId('card-closed')).toBeVisible({ timeout: 5_000 });

  // Every step is in the history.
  await opDrawer.getByRole('tab', { name: '动态' }).click();
  const history = opDrawer.getByTestId('history-item');
  for (const action of ['创建内容', '提交审核', '驳回', '修改内容', '审核通过', '登记发布', '完成复盘']) {
    await expect(history.filter({ hasText: action }).first()).toBeVisible();
  }
  await opDrawer.getByRole('tab', { name: /审核记录/ }).click();
  await expect(opDrawer.getByTestId('review-records')).toContainText(reason);

  await op.context().close();
  await ed.context().close();
});

test('a director passes a blocking red line only with a reason, and the review record keeps the hit', async ({ browser }) => {
  // The operator submits a draft whose body hits 「最」 (a blocking line of the demo).
  const opContext = await browser.newContext();
  const op = await opContext.newPage();
  await login(op, 'operator');
  const ctx = await session(op);
  const owned = (await (await op.request.get(`/api/v1/workspaces/${ctx.ws}/accounts?owner=${ctx.userId}&status=active&limit=1`)).json()).items;
  const title = `强制通过 ${uniq()}`;
  const created = await op.request.post(`/api/v1/workspaces/${ctx.ws}/content`, {
    headers: { 'X-CSRF-Token': ctx.csrf },
    data: { stage: 'draft', title, body: '这款防晒是今年夏天最好用的一支', account_id: owned[0].id },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as number;
  const submitted = await op.request.post(`/api/v1/workspaces/${ctx.ws}/content/${id}/review`, {
    headers: { 'X-CSRF-Token': ctx.csrf },
    data: { action: 'submit' },
  });
  expect(submitted.status()).toBe(200);
  await opContext.close();

  const page = await signedIn(browser, 'director');
  await page.goto(`/content?item=${id}`);
  const drawer = page.getByTestId('content-drawer');
  await expect(drawer.getByTestId('item-stage')).toHaveText('审核');
  await expect(drawer.getByTestId('action-approve')).toBeDisabled();
  await drawer.getByTestId('action-override').click();
  const dialog = page.getByTestId('override-modal');
  await dialog.getByLabel('理由').fill('法务确认：「最」指个人体验，不作比较');
  await dialog.getByRole('button', { name: '强制通过' }).click();
  await expect(drawer.getByTestId('item-stage')).toHaveText('发布');
  await drawer.getByRole('tab', { name: /审核记录/ }).click();
  const records = drawer.getByTestId('review-records');
  await expect(records).toContainText('强制通过');
  await expect(records.getByTestId('review-red-line')).toHaveText('最');
  await page.context().close();
});

test('a card dragged to another column stays there after a reload', async ({ page }) => {
  await login(page, 'director');
  const ctx = await session(page);
  const accounts = (await (await page.request.get(`/api/v1/workspaces/${ctx.ws}/accounts?status=active&limit=1`)).json()).items;
  const title = `拖拽选题 ${uniq()}`;
  const id = await createItem(page, ctx, { stage: 'topic', title, body: '换季通勤穿搭', account_id: accounts[0].id });

  await page.goto('/content');
  const card = page.getByTestId(`card-${id}`);
  await expect(page.getByTestId('column-topic').getByTestId(`card-${id}`)).toBeVisible();
  // Drop near the top of the column: its middle can lie below the fold on a long board, and a
  // scroll in the middle of a native drag ends the drag.
  await card.dragTo(page.getByTestId('column-draft'), { targetPosition: { x: 60, y: 24 } });
  await expect(page.getByTestId('column-draft').getByTestId(`card-${id}`)).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('column-draft').getByTestId(`card-${id}`)).toBeVisible();
  await expect(page.getByTestId('column-topic').getByTestId(`card-${id}`)).toHaveCount(0);
  const item = await (await page.request.get(`/api/v1/workspaces/${ctx.ws}/content/${id}`)).json();
  expect(item.stage).toBe('draft');
});

test('board filters and swimlanes live in the address bar', async ({ page }) => {
  await login(page, 'director');
  await page.goto('/content?tier=KOC&lanes=tier');
  await expect(page.getByTestId('content-board')).toBeVisible();
  await expect(page.getByTestId('content-filters')).toContainText('KOC');
  await expect(page.getByTestId('lanes-switch')).toContainText('按层级');
  // Only KOC cards (and their lane) are on the board.
  await expect(page.getByTestId('lane-KOL')).toHaveCount(0);
  // A controlled checkbox: it follows the address bar, which updates right after the click.
  await page.getByRole('checkbox', { name: '已逾期' }).click();
  await expect(page).toHaveURL(/overdue=true/);
  await expect(page.getByRole('checkbox', { name: '已逾期' })).toBeChecked();
  await page.reload();
  await expect(page.getByRole('checkbox', { name: '已逾期' })).toBeChecked();
});

test('an edit typed but not saved is never dropped: a stage step saves it first, closing asks', async ({ browser }) => {
  const op = await signedIn(browser, 'operator');
  const ctx = await session(op);
  const owned = (await (await op.request.get(`/api/v1/workspaces/${ctx.ws}/accounts?owner=${ctx.userId}&status=active&limit=1`)).json())
    .items as { id: number }[];
  const draft = (title: string) =>
    createItem(op, ctx, { stage: 'draft', title, body: '旧正文：通勤一周的感受', account_id: owned[0].id, media: ['封面.jpg'] });
  const stored = async (id: number) =>
    (await (await op.request.get(`/api/v1/workspaces/${ctx.ws}/content/${id}`)).json()) as { body: string; stage: string };
  const drawer = op.getByTestId('content-drawer');
  const body = drawer.getByLabel('正文');

  // Typed, not saved, then 提交审核: the item goes to review with the new text, and the locked
  // form shows exactly what is stored.
  const first = await draft(`未保存就提交 ${uniq()}`);
  await op.goto(`/content?item=${first}`);
  await expect(drawer.getByTestId('item-stage')).toHaveText('稿件');
  await body.fill('新正文：早晚高峰都很稳，通勤轻松很多');
  await drawer.getByTestId('action-submit').click();
  await expect(drawer.getByTestId('item-stage')).toHaveText('审核');
  expect(await stored(first)).toMatchObject({ stage: 'review', body: '新正文：早晚高峰都很稳，通勤轻松很多' });
  await expect(body).toHaveValue('新正文：早晚高峰都很稳，通勤轻松很多');
  await expect(body).toBeDisabled();

  // Closing with unsaved edits asks: 放弃修改 keeps what is stored, 保存并关闭 stores the edit.
  const second = await draft(`未保存就关闭 ${uniq()}`);
  await op.goto(`/content?item=${second}`);
  await expect(drawer.getByTestId('item-stage')).toHaveText('稿件');
  await body.fill('这段不要了');
  await drawer.getByRole('button', { name: '关闭' }).first().click();
  const ask = op.getByRole('dialog').filter({ hasText: '有未保存的修改' });
  await expect(ask).toBeVisible();
  await ask.getByTestId('unsaved-discard').click();
  await expect(drawer).toBeHidden();
  expect((await stored(second)).body).toBe('旧正文：通勤一周的感受');
  // Opened again from the board (no reload), it shows what is stored, not the discarded edit.
  await op.getByTestId(`card-${second}`).click();
  await expect(body).toHaveValue('旧正文：通勤一周的感受');
  await body.fill('保存后再关闭的正文');
  await drawer.getByRole('button', { name: '关闭' }).first().click();
  await op.getByRole('dialog').filter({ hasText: '有未保存的修改' }).getByRole('button', { name: '保存并关闭' }).click();
  await expect(drawer).toBeHidden();
  expect((await stored(second)).body).toBe('保存后再关闭的正文');
  await op.context().close();
});

test('a topic without an account dropped on 稿件 opens the account picker, grouped by owner', async ({ page }) => {
  await login(page, 'planner');
  const ctx = await session(page);
  const title = `拖成稿件 ${uniq()}`;
  const id = await createItem(page, ctx, { stage: 'topic', title, body: '冬季续航实测的选题' });

  await page.goto('/content');
  const card = page.getByTestId(`card-${id}`);
  await expect(page.getByTestId('column-topic').getByTestId(`card-${id}`)).toBeVisible();
  await card.dragTo(page.getByTestId('column-draft'), { targetPosition: { x: 60, y: 24 } });
  // Not refused: the topic stays, and 生成稿件 asks for the accounts, grouped by owner.
  const picker = page.getByRole('dialog').filter({ hasText: '生成稿件' }).last();
  await expect(picker).toBeVisible();
  await expect(page.getByTestId('column-topic').getByTestId(`card-${id}`)).toBeVisible();
  await picker.getByLabel('账号').click();
  const groups = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-group');
  await expect(groups.first()).toBeVisible();
  const owners = await groups.allTextContents();
  expect(owners.length).toBeGreaterThan(1);
  expect(owners).not.toContain('我的账号'); // the planner owns no account in the demo
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').first().click();
  await page.keyboard.press('Escape');
  await picker.getByRole('button', { name: '生成', exact: true }).click();
  await expect(page.getByText('已生成 1 篇稿件')).toBeVisible();
});
