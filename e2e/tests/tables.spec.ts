import { expect, test, type Page } from '@playwright/test';
import { login } from './helpers';

// Issue 9, point 5: the accounts table fits the 1,440 × 900 layout, its columns are the user's to
// pick and order, and a loading list never claims to be empty.

const table = (page: Page) => page.getByTestId('accounts-table');
const rows = (page: Page) => table(page).locator('tbody tr.ant-table-row');
const headers = async (page: Page) =>
  (await table(page).locator('thead th').allInnerTexts()).map((h) => h.trim()).filter((h) => h !== '');

async function openAccounts(page: Page): Promise<void> {
  await page.goto('/accounts');
  await expect(rows(page).first()).toBeVisible();
}

test.use({ viewport: { width: 1440, height: 900 } });

test('the default columns fit at 1,440 px and nothing covers 粉丝数', async ({ page }) => {
  await login(page, 'director');
  await openAccounts(page);

  // The element that scrolls horizontally is as wide as its content: no hidden columns.
  const scroller = table(page).locator('.ant-table-content, .ant-table-body').first();
  const { scrollWidth, clientWidth } = await scroller.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(scrollWidth, `table content ${scrollWidth}px in a ${clientWidth}px area`).toBeLessThanOrEqual(clientWidth);

  const cols = await headers(page);
  for (const name of ['账号', '层级', '平台', '粉丝数', '负责人', '状态', '标签', '操作']) expect(cols).toContain(name);

  // Every default header lies inside the table's visible width.
  const box = (await table(page).boundingBox())!;
  for (const th of await table(page).locator('thead th').all()) {
    const b = (await th.boundingBox())!;
    expect(b.x + b.width, await th.innerText()).toBeLessThanOrEqual(box.x + box.width + 1);
  }

  // 粉丝数 ends before the fixed 操作 column starts, and its cell is what a click there hits.
  const followersHead = (await table(page).locator('thead th').filter({ hasText: /^粉丝数$/ }).boundingBox())!;
  const actionsHead = (await table(page).locator('thead th').filter({ hasText: /^操作$/ }).boundingBox())!;
  expect(followersHead.x + followersHead.width).toBeLessThanOrEqual(actionsHead.x + 1);
  const cell = rows(page).first().getByTestId('account-followers');
  await expect(cell).toBeVisible();
  const covered = await cell.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return !(hit && (el === hit || el.contains(hit)));
  });
  expect(covered).toBe(false);
});

test('hidden and reordered columns are remembered after a reload, and reset restores the defaults', async ({ page }) => {
  await login(page, 'operator');
  await openAccounts(page);
  const defaults = await headers(page);
  expect(defaults.indexOf('平台')).toBeLessThan(defaults.indexOf('粉丝数'));
  expect(defaults).not.toContain('人设定位');
  expect(defaults).not.toContain('合作等级');

  await page.getByTestId('accounts-columns').click();
  const panel = page.getByTestId('accounts-columns-panel');
  await expect(panel).toBeVisible();
  // The name column is pinned: listed, but it cannot be hidden.
  await expect(panel.getByRole('checkbox', { name: '账号', exact: true })).toBeDisabled();
  await panel.getByRole('checkbox', { name: '状态', exact: true }).uncheck();
  await panel.getByRole('checkbox', { name: '人设定位', exact: true }).check();
  // Custom fields (the demo's 合作等级) are columns to pick like the others.
  await panel.getByRole('checkbox', { name: '合作等级', exact: true }).check();
  await panel.getByRole('button', { name: '上移「粉丝数」' }).click();
  await panel.getByRole('button', { name: '上移「粉丝数」' }).click();

  const expectArranged = async () => {
    await expect
      .poll(async () => {
        const h = await headers(page);
        return {
          status: h.includes('状态'),
          persona: h.includes('人设定位'),
          custom: h.includes('合作等级'),
          followersBeforeTier: h.indexOf('粉丝数') < h.indexOf('层级'),
        };
      })
      .toEqual({ status: false, persona: true, custom: true, followersBeforeTier: true });
    const h = await headers(page);
    expect(h[0]).toBe('账号');
  };
  await expectArranged();

  await page.reload();
  await expect(rows(page).first()).toBeVisible();
  await expectArranged();

  await page.getByTestId('accounts-columns').click();
  await page.getByTestId('accounts-columns-reset').click();
  await expect.poll(() => headers(page)).toEqual(defaults);
});

test('while the list loads a skeleton shows, never 暂无数据', async ({ page }) => {
  await login(page, 'director');
  // Records any empty state from the first paint of the next page load on.
  await page.addInitScript(() => {
    const w = window as unknown as { __sawEmpty: boolean };
    w.__sawEmpty = false;
    new MutationObserver(() => {
      if (document.querySelector('.ant-empty') || document.body?.textContent?.includes('暂无数据')) w.__sawEmpty = true;
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(
    (url) => /\/api\/v1\/workspaces\/\d+\/accounts$/.test(url.pathname),
    async (route) => {
      await held;
      await route.continue();
    },
  );

  await page.goto('/accounts');
  await expect(page.getByTestId('accounts-skeleton')).toBeVisible();
  // Held long enough for a spinner over an empty table to have shown itself.
  await page.waitForTimeout(1_000);
  await expect(page.getByText('暂无数据')).toHaveCount(0);
  release();

  await expect(rows(page).first()).toBeVisible();
  await expect(page.getByTestId('accounts-skeleton')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __sawEmpty: boolean }).__sawEmpty)).toBe(false);
});
