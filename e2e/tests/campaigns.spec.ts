import { expect, test } from '@playwright/test';
import { addTag, login, openMenu, uniq } from './helpers';

test('director creates a campaign with a budget in yuan', async ({ page }) => {
  await login(page, 'director');
  await openMenu(page, '战役');
  const name = `双十一种草 ${uniq()}`;

  await page.getByRole('button', { name: '新建战役' }).click();
  const drawer = page.getByTestId('campaign-drawer');
  await drawer.getByLabel('战役名称').fill(name);
  await drawer.getByLabel('主题').fill('秋冬修护');

  const period = drawer.locator('.ant-picker-range input');
  await period.nth(0).click();
  await period.nth(0).fill('2026-11-01');
  await period.nth(0).press('Enter');
  await period.nth(1).fill('2026-11-11');
  await period.nth(1).press('Enter');

  await drawer.getByLabel('总预算（元）').fill('12345.67');
  await drawer.getByLabel('KOL 层级预算（元）').fill('8000');
  await addTag(drawer, '必带话题', '#秋冬修护');
  await drawer.getByLabel('目标 KPI').fill('曝光 500 万，互动率 3%');
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('战役已创建')).toBeVisible();

  const row = page.getByTestId('campaigns-table').locator('tbody tr.ant-table-row').filter({ hasText: name });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('campaign-budget')).toHaveText('¥12,345.67');
  await expect(row).toContainText('2026-11-01 ~ 2026-11-11');
  await expect(row).toContainText('#秋冬修护');
  await expect(row).toContainText('KOL ¥8,000.00');
});
