import { expect, test } from '@playwright/test';
import { chooseOption, login, openAccounts, uniq } from './helpers';

test('a concurrent edit of the same field shows a conflict and offers a reload', async ({ page, context }) => {
  await login(page, 'director');
  await openAccounts(page);
  const handle = `conflict_${uniq()}`;

  await page.getByRole('button', { name: '新建账号' }).click();
  let drawer = page.getByTestId('account-drawer');
  await chooseOption(page, drawer, '平台', '抖音');
  await drawer.getByLabel('账号 ID').fill(handle);
  await drawer.getByLabel('昵称').fill('原始昵称');
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(drawer).toBeHidden();

  await chooseOption(page, page.getByTestId('account-filters'), '排序', '最新创建');
  const row = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row').filter({ hasText: handle });
  await row.getByRole('button', { name: '编辑' }).click();
  drawer = page.getByTestId('account-drawer');
  await expect(drawer.getByLabel('昵称')).toHaveValue('原始昵称');

  // Someone else renames the account while the drawer is open.
  const id = Number(await row.getAttribute('data-row-key'));
  const csrf = (await context.cookies()).find((c) => c.name === 'kox_csrf')?.value ?? '';
  const me = await (await page.request.get('/api/v1/me')).json();
  const ws = me.workspaces[0].id;
  const current = await (await page.request.get(`/api/v1/workspaces/${ws}/accounts/${id}`)).json();
  const res = await page.request.patch(`/api/v1/workspaces/${ws}/accounts/${id}`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { version: current.version, display_name: '别人改的昵称' },
  });
  expect(res.ok()).toBeTruthy();

  await drawer.getByLabel('昵称').fill('我改的昵称');
  await drawer.getByRole('button', { name: '保存' }).click();
  const alert = drawer.getByTestId('conflict-alert');
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('昵称');

  await alert.getByRole('button', { name: '重新加载最新内容' }).click();
  await expect(alert).toBeHidden();
  await expect(drawer.getByLabel('昵称')).toHaveValue('别人改的昵称');
});
