import { expect, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'kox-demo-2026';

export type DemoUser = 'admin' | 'director' | 'editor' | 'planner' | 'operator' | 'analyst' | 'media' | 'viewer';

export const email = (user: DemoUser) => `${user}@kox.demo`;

/** A suffix that keeps names unique across runs against the same database. */
export const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

/** Signs in through the login form (Chinese UI) and waits for the landing page (工作台). */
export async function login(page: Page, user: DemoUser): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('邮箱').fill(email(user));
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByRole('heading', { name: '工作台', exact: true })).toBeVisible();
}

/** Opens the accounts page from the side menu (no page reload) and waits for its table. */
export async function openAccounts(page: Page): Promise<void> {
  await openMenu(page, '账号');
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByTestId('accounts-table')).toBeVisible();
}

/** Navigates through the side menu. */
export async function openMenu(page: Page, label: string): Promise<void> {
  await page.getByRole('menu').getByText(label, { exact: true }).click();
}

/**
 * Picks an option of an antd Select identified by its (form or aria) label, and checks it was
 * taken: the select shows it, or `shows` appears (e.g. the dialog that confirms the change).
 */
export async function chooseOption(page: Page, scope: Page | Locator, label: string, option: string, shows?: Locator): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  const select = input.locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const open = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  // A dropdown that opens upwards near the bottom of a drawer can still be sliding into place
  // when the click lands, so the pick is retried until the select shows the option.
  await expect(async () => {
    if ((await open.count()) === 0) {
      await input.click();
      // Searchable selects are filtered first, so options further down a virtual list are reachable.
      if (await input.isEditable()) await input.fill(option);
    }
    await open.last().locator('.ant-select-item-option').filter({ hasText: option }).first().click({ timeout: 2_000 });
    if (shows) await expect(shows).toBeVisible({ timeout: 1_000 });
    else await expect(select).toContainText(option, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(open).toHaveCount(0);
}

/** Types a value into a tags-mode Select and confirms it with Enter. */
export async function addTag(scope: Page | Locator, label: string, value: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await input.press('Enter');
}
