import { expect, test } from '@playwright/test';
import { login } from './helpers';

test('language switch is remembered for the user', async ({ page }) => {
  await login(page, 'analyst');
  const menu = page.getByRole('menu');
  await expect(menu.getByText('矩阵总览', { exact: true })).toBeVisible();

  await page.getByTestId('language-switch').getByText('English').click();
  await expect(menu.getByText('Matrix overview', { exact: true })).toBeVisible();
  await expect(menu.getByText('Campaigns', { exact: true })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Followers' })).toBeVisible();

  await page.reload();
  await expect(menu.getByText('Matrix overview', { exact: true })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Followers' })).toBeVisible();

  // Back to Chinese, so other runs start from the default.
  await page.getByTestId('language-switch').getByText('中文').click();
  await expect(menu.getByText('矩阵总览', { exact: true })).toBeVisible();
  await page.reload();
  await expect(menu.getByText('矩阵总览', { exact: true })).toBeVisible();
});
