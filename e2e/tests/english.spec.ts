import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, email } from './helpers';

/**
 * The words of the UI itself — menu, headings, column headers, labels, buttons, placeholders,
 * tabs, empty states and the browser tab — as opposed to what the team typed (account names,
 * titles, tags), which stays in the language it was written in.
 */
async function uiText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [document.title];
    const chrome = [
      '.ant-menu-title-content',
      '.ant-card-head-title',
      'thead th',
      'label',
      '.ant-tabs-tab-btn',
      '.ant-statistic-title',
      '.ant-empty-description',
      '.ant-select-selection-placeholder',
      '.ant-btn',
      '.ant-segmented-item-label',
      '.ant-result-title',
      '.ant-result-subtitle',
    ];
    // Elements that show a record's own data: a card's title, a person's name in the header.
    const userData = '[data-user-data], .ant-layout-header, .kox-card, [data-testid^="content-card"]';
    for (const el of document.querySelectorAll<HTMLElement>(chrome.join(','))) {
      if (el.closest(userData)) continue;
      if (el.offsetParent === null && el.tagName !== 'TITLE') continue;
      out.push(el.innerText.trim());
    }
    for (const el of document.querySelectorAll<HTMLInputElement>('input[placeholder], textarea[placeholder]')) {
      if (el.offsetParent !== null) out.push(el.placeholder);
    }
    return out.filter(Boolean);
  });
}

const HAN = /\p{Script=Han}/u;

const PAGES = [
  '/home',
  '/accounts',
  '/overview',
  '/campaigns',
  '/content',
  '/content/stats',
  '/settings/workspace',
  '/settings/members',
  '/settings/fields',
  '/settings/platforms',
  '/settings/red-lines',
  '/settings/content',
  '/settings/metrics',
  '/data/imports',
  '/settings/audit',
  '/settings/profile',
  '/notifications',
  '/settings/notifications',
  '/me/notifications',
];

test('an English walk through every page finds no Chinese outside the team’s own data', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/login');
  await page.locator('.ant-segmented').getByText('English').click();
  await page.getByLabel('Email').fill(email('admin'));
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/home/);
  // The header's switch as well: the walk must not depend on what the last run left saved.
  await page.getByTestId('language-switch').getByText('English').click();
  await expect(page.getByRole('menu').getByText('Home', { exact: true })).toBeVisible();
  try {
    const found: string[] = [];
    for (const path of PAGES) {
      await page.goto(path);
      // Settled: the page is drawn and nothing is loading any more.
      await expect(page.locator('main .ant-card, main .ant-result').first()).toBeVisible({ timeout: 30_000 });
      await expect(page.locator('.ant-spin-spinning, .ant-skeleton-active')).toHaveCount(0, { timeout: 15_000 });
      for (const text of await uiText(page)) {
        if (HAN.test(text)) found.push(`${path}: ${text}`);
      }
    }
    expect(found).toEqual([]);
  } finally {
    // Back to Chinese, so other specs start from the default.
    await page.getByTestId('language-switch').getByText('中文').click();
    await expect(page.getByRole('menu').getByText('工作台', { exact: true })).toBeVisible();
  }
});
