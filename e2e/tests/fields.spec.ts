import { expect, test } from '@playwright/test';
import { chooseOption, login, openMenu, uniq } from './helpers';

test('admin defines an account field and sees it in the form and the table', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '自定义字段');
  const suffix = uniq();
  const key = `grade_${suffix}`;
  const label = `合作评级${suffix}`;

  await page.getByTestId('field-new-account').click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('字段标识').fill(key);
  await modal.getByLabel('显示名称').fill(label);
  await chooseOption(page, modal, '类型', '单选');
  for (const option of ['S', 'A', 'B']) {
    const input = modal.getByLabel('选项', { exact: true });
    await input.click();
    await input.fill(option);
    await input.press('Enter');
  }
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('字段已创建')).toBeVisible();
  await expect(page.getByTestId('fields-table-account')).toContainText(label);

  await openMenu(page, '账号');
  // Custom fields are columns a member picks (the default columns fit the screen).
  await page.getByTestId('accounts-columns').click();
  await page.getByTestId('accounts-columns-panel').getByRole('checkbox', { name: label, exact: true }).check();
  await page.getByTestId('accounts-columns').click();
  await expect(page.getByRole('columnheader', { name: label })).toBeVisible();

  // The field appears in the account form and its value lands in the new column.
  const handle = `cf_${suffix}`;
  await page.getByRole('button', { name: '新建账号' }).click();
  const drawer = page.getByTestId('account-drawer');
  await expect(drawer.getByLabel(label)).toBeVisible();
  await chooseOption(page, drawer, '平台', '小红书');
  await drawer.getByLabel('账号 ID').fill(handle);
  await drawer.getByLabel('昵称').fill(`字段测试 ${suffix}`);
  await chooseOption(page, drawer, label, 'A');
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(drawer).toBeHidden();

  await chooseOption(page, page.getByTestId('account-filters'), '排序', '最新创建');
  const table = page.getByTestId('accounts-table');
  const row = table.locator('tbody tr.ant-table-row').filter({ hasText: handle });
  await expect(row).toHaveCount(1);
  const headers = await table.locator('thead th').allInnerTexts();
  const col = headers.findIndex((h) => h.trim() === label);
  expect(col).toBeGreaterThan(-1);
  await expect(row.locator('td').nth(col)).toHaveText('A');
});
