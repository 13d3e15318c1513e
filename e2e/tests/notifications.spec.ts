import { expect, test, type Browser, type Page } from '@playwright/test';
import { chooseOption, login, openMenu, uniq, type DemoUser } from './helpers';

/** Workspace id and CSRF token of a signed-in page, for direct API calls. */
async function session(page: Page): Promise<{ ws: number; csrf: string }> {
  const me = await (await page.request.get('/api/v1/me')).json();
  const csrf = (await page.context().cookies()).find((c) => c.name === 'kox_csrf')?.value ?? '';
  return { ws: me.workspaces[0].id, csrf };
}

async function signedIn(browser: Browser, user: DemoUser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, user);
  return page;
}

// The channel's address is on this machine: the server must allow private targets
// (KOX_ALLOW_PRIVATE_TARGETS=1, set by global-setup.ts when it starts the server).
test('an admin adds a webhook channel whose secret is never shown again, and tries it', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '通知');
  await expect(page).toHaveURL(/\/settings\/notifications$/);
  await expect(page).toHaveTitle('通知 · KOX');

  const name = `Webhook ${uniq()}`;
  const secret = `e2e-secret-${uniq()}`;
  await page.getByTestId('channel-add').click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('名称').fill(name);
  await chooseOption(page, modal, '类型', 'Webhook');
  await modal.getByLabel('接收地址').fill('http://127.0.0.1:9/hook');
  await modal.getByLabel('签名密钥').fill(secret);
  await expect(modal.getByTestId('webhook-signature-help')).toContainText('X-KOX-Signature: t=<unix 时间戳>,v1=');
  await expect(modal.getByTestId('webhook-signature-help')).toContainText('Idempotency-Key');
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('渠道已添加')).toBeVisible();

  const row = page.getByTestId('channels-table').locator('tbody tr.ant-table-row').filter({ hasText: name });
  await expect(row).toContainText('Webhook');
  await expect(row).toContainText('127.0.0.1:9/hook');
  await expect(row.getByTestId('channel-secret')).toHaveText('••••••');
  await expect(page.getByText(secret)).toHaveCount(0);

  // Editing shows the secret as set, empty; saving leaves it stored.
  await row.getByRole('button', { name: '编辑' }).click();
  const edit = page.getByRole('dialog');
  const secretInput = edit.getByLabel('签名密钥');
  await expect(secretInput).toHaveValue('');
  await expect(secretInput).toHaveAttribute('placeholder', '已设置，留空则不修改');
  await edit.getByLabel('名称').fill(`${name} 改`);
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('渠道已保存')).toBeVisible();
  await expect(row).toContainText(`${name} 改`);
  await expect(row.getByTestId('channel-secret')).toHaveText('••••••');
  const { ws } = await session(page);
  const channels = (await (await page.request.get(`/api/v1/workspaces/${ws}/notification-channels`)).json()) as { name: string; secret_set: boolean }[];
  expect(channels.find((c) => c.name === `${name} 改`)?.secret_set).toBe(true);
  expect(JSON.stringify(channels)).not.toContain(secret);

  // Nothing listens on port 9: the test says so, with the reason.
  await row.getByRole('button', { name: '发送测试' }).click();
  await expect(page.getByRole('dialog').filter({ hasText: '测试消息未送达' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('channel-test-result')).toBeVisible();
});

test("the editor's bell counts a director's @mention live, and the notification opens the card", async ({ browser }) => {
  test.setTimeout(120_000);
  const editor = await signedIn(browser, 'editor');
  const bell = editor.getByTestId('notification-bell');
  await expect(bell).toHaveAttribute('data-unread', /^\d+$/);
  const before = Number(await bell.getAttribute('data-unread'));

  // The director writes on a card in their own browser.
  const director = await signedIn(browser, 'director');
  const { ws, csrf } = await session(director);
  const title = `通知实测 ${uniq()}`;
  const created = await director.request.post(`/api/v1/workspaces/${ws}/content`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { stage: 'topic', title, body: '星河S7 冬季续航实测选题' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as number;
  await director.goto(`/content?item=${id}`);
  const drawer = director.getByTestId('content-drawer');
  await drawer.getByRole('tab', { name: /评论/ }).click();
  await drawer.getByRole('textbox', { name: '写评论，输入 @ 提及成员' }).fill('@陈思雨 这个选题请你来写初稿');
  await drawer.getByTestId('comment-send').click();
  await expect(drawer.getByTestId('comment-item').filter({ hasText: '这个选题请你来写初稿' })).toBeVisible();

  // The editor's bell rises without a reload.
  await expect(bell).toHaveAttribute('data-unread', String(before + 1));
  await bell.click();
  const list = editor.getByTestId('notification-drawer');
  const note = list.getByTestId('notification-item').first();
  await expect(note).toContainText(`林悦 在《${title}》的评论中提到了你：@陈思雨 这个选题请你来写初稿`);
  await expect(note).toHaveAttribute('data-unread', 'true');

  // Clicking it marks it read and opens the card on the board.
  await note.click();
  await expect(editor).toHaveURL(new RegExp(`/content\\?item=${id}$`));
  await expect(editor.getByTestId('content-drawer')).toContainText(title);
  await expect(bell).toHaveAttribute('data-unread', String(before));

  await editor.context().close();
  await director.context().close();
});
