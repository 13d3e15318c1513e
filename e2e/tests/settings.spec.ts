import { expect, test } from '@playwright/test';
import { chooseOption, login, openMenu, uniq } from './helpers';

test('admin adds a member and changes their role inline', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '成员');
  const suffix = uniq();
  const name = `新同事${suffix}`;

  await page.getByRole('button', { name: '添加成员' }).click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('邮箱').fill(`new_${suffix}@kox.demo`);
  await modal.getByLabel('姓名').fill(name);
  await chooseOption(page, modal, '角色', '媒介');
  await chooseOption(page, modal, '小组', '数据与支持组');
  await modal.getByLabel('初始密码').fill('initial-pass-2026');
  await modal.getByRole('button', { name: '添加' }).click();
  await expect(page.getByText('成员已添加')).toBeVisible();

  const row = page.getByTestId('members-table').locator('tbody tr.ant-table-row').filter({ hasText: name });
  await expect(row).toContainText('媒介');
  await chooseOption(page, row, `角色 ${name}`, '只读成员');
  await expect(page.getByText('成员已更新')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('members-table').locator('tbody tr.ant-table-row').filter({ hasText: name })).toContainText('只读成员');
});

test('viewer sees members read-only', async ({ page }) => {
  await login(page, 'viewer');
  await openMenu(page, '成员');
  await expect(page.getByTestId('members-table')).toBeVisible();
  await expect(page.getByRole('button', { name: '添加成员' })).toHaveCount(0);
  await expect(page.getByTestId('members-table').getByRole('combobox')).toHaveCount(0);
});

test('admin adds, renames and deactivates a platform', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '平台');
  const suffix = uniq();
  const code = `p_${suffix}`;

  await page.getByRole('button', { name: '添加平台' }).click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('平台代码').fill(code);
  await modal.getByLabel('平台名称').fill(`平台${suffix}`);
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('平台已添加')).toBeVisible();

  const row = page.getByTestId('platforms-table').locator('tbody tr.ant-table-row').filter({ hasText: code });
  await row.getByRole('button', { name: '编辑' }).click();
  await page.getByRole('dialog').getByLabel('平台名称').fill(`改名${suffix}`);
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await expect(row).toContainText(`改名${suffix}`);

  const toggle = row.getByRole('switch');
  await expect(toggle).toBeChecked();
  await toggle.click();
  await expect(toggle).not.toBeChecked();
});

test('an API token is shown once after creation and can be revoked', async ({ page }) => {
  await login(page, 'analyst');
  await openMenu(page, '个人');
  await expect(page.getByTestId('sessions-table')).toContainText('当前会话');

  const name = `报表同步${uniq()}`;
  await page.getByRole('button', { name: '新建令牌' }).click();
  await page.getByRole('dialog').getByLabel('令牌名称').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: '新建' }).click();
  const token = page.getByTestId('created-token');
  await expect(token).toBeVisible();
  expect((await token.innerText()).trim().length).toBeGreaterThan(16);
  await page.getByRole('dialog').getByRole('button', { name: '关闭' }).first().click();

  const row = page.getByTestId('tokens-table').locator('tbody tr.ant-table-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: '吊销' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
  await expect(row).toHaveCount(0);
});
