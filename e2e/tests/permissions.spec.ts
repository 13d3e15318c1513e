import { expect, test } from '@playwright/test';
import { chooseOption, login, openAccounts, uniq } from './helpers';

test('operator can edit only the accounts they own', async ({ page }) => {
  await login(page, 'operator');
  await openAccounts(page);
  const rows = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row');
  await expect(rows.first()).toBeVisible();
  const total = await rows.count();
  const editable = await rows.filter({ has: page.getByRole('button', { name: '编辑' }) }).count();
  expect(editable).toBeGreaterThan(0);
  expect(editable).toBeLessThan(total);
});

test('an operator creates an account, owns it and may edit it', async ({ page }) => {
  await login(page, 'operator');
  await openAccounts(page);
  const handle = `op_${uniq()}`;
  await page.getByRole('button', { name: '新建账号' }).click();
  const drawer = page.getByTestId('account-drawer');
  await chooseOption(page, drawer, '平台', '抖音');
  await drawer.getByLabel('账号 ID').fill(handle);
  await drawer.getByLabel('昵称').fill(`运营新号 ${handle}`);
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('账号已创建')).toBeVisible();
  await expect(drawer).toBeHidden();

  const row = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row').filter({ hasText: handle });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('李娜');
  await expect(row.getByRole('button', { name: '编辑' })).toBeVisible();
});
