import { expect, test } from '@playwright/test';
import { chooseOption, login, openMenu } from './helpers';

test('matrix overview shows KPIs, the tier × platform chart and operators', async ({ page }) => {
  await login(page, 'analyst');
  await openMenu(page, '矩阵总览');
  await expect(page.getByText('账号总数')).toBeVisible();
  await expect(page.getByText('粉丝总量')).toBeVisible();
  await expect(page.getByTestId('tier-platform-chart').locator('canvas')).toBeVisible();
  await page.getByText('粉丝数', { exact: true }).first().click();
  await expect(page.getByTestId('operator-table').locator('tbody tr.ant-table-row').first()).toBeVisible();
});

test('admin reads the audit log with translated actions', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '审计日志');
  await expect(page.getByTestId('audit-table')).toBeVisible();
  await expect(page.getByTestId('audit-action').filter({ hasText: '登录' }).first()).toBeVisible();

  await chooseOption(page, page, '按操作筛选', '登录');
  const actions = page.getByTestId('audit-action');
  await expect(actions.first()).toHaveText('登录');
  await expect.poll(async () => (await actions.allInnerTexts()).every((text) => text === '登录')).toBe(true);
});
