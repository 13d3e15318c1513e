import { expect, request, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, email, login, openMenu } from './helpers';

const NEW_PASSWORD = `${DEMO_PASSWORD}-new`;

async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByLabel('当前密码', { exact: true }).fill(current);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('确认新密码', { exact: true }).fill(next);
  await page.getByRole('button', { name: '修改密码' }).click();
}

/** Puts the demo password back through the API if the test stopped while the new one was set. */
async function restorePassword(baseURL: string): Promise<void> {
  const ctx = await request.newContext({ baseURL });
  try {
    const signedIn = await ctx.post('/api/v1/auth/login', { data: { email: email('planner'), password: NEW_PASSWORD } });
    if (!signedIn.ok()) return;
    const csrf = (await ctx.storageState()).cookies.find((c) => c.name === 'kox_csrf')?.value ?? '';
    await ctx.post('/api/v1/me/password', {
      headers: { 'X-CSRF-Token': csrf },
      data: { current_password: NEW_PASSWORD, new_password: DEMO_PASSWORD },
    });
  } finally {
    await ctx.dispose();
  }
}

test('planner changes the password and changes it back', async ({ page, baseURL }) => {
  // Other specs sign in as the planner with the demo password.
  let changed = false;
  try {
    await login(page, 'planner');
    await openMenu(page, '个人');
    await expect(page).toHaveURL(/\/settings\/profile/);

    // A wrong current password is reported next to that field.
    await changePassword(page, `${DEMO_PASSWORD}-wrong`, NEW_PASSWORD);
    const current = page.locator('.ant-form-item').filter({ has: page.getByLabel('当前密码', { exact: true }) });
    await expect(current.locator('.ant-form-item-explain-error')).toHaveText('当前密码不正确');

    // The new password is checked twice before it is sent.
    await page.getByLabel('当前密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByLabel('确认新密码', { exact: true }).fill(`${NEW_PASSWORD}x`);
    await page.getByRole('button', { name: '修改密码' }).click();
    await expect(page.getByText('两次输入的新密码不一致')).toBeVisible();

    changed = true;
    await changePassword(page, DEMO_PASSWORD, NEW_PASSWORD);
    await expect(page.getByText('密码已修改，其他设备上的登录已退出')).toBeVisible();
    await expect(page.getByLabel('当前密码', { exact: true })).toHaveValue('');

    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await expect(page).toHaveURL(/\/login/);

    await page.getByLabel('邮箱').fill(email('planner'));
    await page.getByLabel('密码').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page).toHaveURL(/\/home$/);

    await openMenu(page, '个人');
    await changePassword(page, NEW_PASSWORD, DEMO_PASSWORD);
    await expect(page.getByText('密码已修改，其他设备上的登录已退出')).toBeVisible();
    changed = false;
  } finally {
    if (changed) await restorePassword(baseURL ?? '');
  }
});
