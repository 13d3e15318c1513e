import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, email, login, openAccounts, openMenu } from './helpers';

test('wrong password shows a translated error', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('邮箱').fill(email('media'));
  await page.getByLabel('密码').fill(`${DEMO_PASSWORD}-wrong`);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('login-error')).toContainText('邮箱或密码错误');
  await expect(page).toHaveURL(/\/login/);
});

test('signed-out visitors are sent to the login page', async ({ page }) => {
  await page.goto('/campaigns');
  await expect(page).toHaveURL(/\/login\?next=%2Fcampaigns/);
  await page.getByLabel('邮箱').fill(email('viewer'));
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
});

test('operator signs in and sees only what an operator may do', async ({ page }) => {
  await login(page, 'operator');
  await openAccounts(page);
  await expect(page.getByTestId('workspace-name').or(page.getByTestId('workspace-select'))).toBeVisible();
  await expect(page.getByTestId('user-menu')).toBeVisible();
  // Operators own some demo accounts, so the table is not empty.
  await expect(page.getByTestId('accounts-table').locator('tbody tr.ant-table-row').first()).toBeVisible();

  await openMenu(page, '战役');
  await expect(page).toHaveURL(/\/campaigns/);
  await expect(page.getByTestId('campaigns-table')).toBeVisible();
  await expect(page.getByRole('button', { name: '新建战役' })).toHaveCount(0);

  // No audit log for operators.
  await expect(page.getByRole('menu').getByText('审计日志', { exact: true })).toHaveCount(0);
});

test('director signs in and may create campaigns', async ({ page }) => {
  await login(page, 'director');
  await openMenu(page, '战役');
  await expect(page.getByRole('button', { name: '新建战役' })).toBeVisible();
});

test('viewer sees no create buttons', async ({ page }) => {
  await login(page, 'viewer');
  await openAccounts(page);
  await expect(page.getByTestId('accounts-table')).toBeVisible();
  await expect(page.getByRole('button', { name: '新建账号' })).toHaveCount(0);
  await openMenu(page, '战役');
  await expect(page.getByTestId('campaigns-table')).toBeVisible();
  await expect(page.getByRole('button', { name: '新建战役' })).toHaveCount(0);
  // The board says it is read-only, and each page names itself in the browser tab.
  await expect(page).toHaveTitle('战役 · KOX');
  await page.goto('/content');
  await expect(page.getByTestId('board-read-only')).toHaveText('只读');
  await expect(page).toHaveTitle('内容看板 · KOX');
});

test('logout ends the session', async ({ page }) => {
  await login(page, 'planner');
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/accounts');
  await expect(page).toHaveURL(/\/login/);
});
