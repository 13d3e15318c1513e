import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, email, login, openAccounts } from './helpers';

test('language switch is remembered for the user', async ({ page }) => {
  await login(page, 'analyst');
  await openAccounts(page);
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

test('a language picked on the sign-in page is kept after signing in', async ({ page }) => {
  await page.goto('/login');
  await page.locator('.ant-segmented').getByText('English').click();
  await page.getByLabel('Email').fill(email('media'));
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const menu = page.getByRole('menu');
  await expect(menu.getByText('Matrix overview', { exact: true })).toBeVisible();
  // Kept for the user, not only for this page.
  await page.reload();
  await expect(menu.getByText('Matrix overview', { exact: true })).toBeVisible();
  // Back to Chinese, so other runs start from the default.
  await page.getByTestId('language-switch').getByText('中文').click();
  await expect(menu.getByText('矩阵总览', { exact: true })).toBeVisible();
});
