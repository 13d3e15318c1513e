import { expect, test, type Page } from '@playwright/test';
import { chooseOption, login, openMenu, uniq } from './helpers';

const DEMO_NAME = '星河汽车 · 新能源品牌部';
const DEMO_TIME_ZONE = 'Asia/Shanghai';

const header = (page: Page) => page.getByTestId('workspace-name').or(page.getByTestId('workspace-select'));
const timeZoneSelect = (page: Page) =>
  page.getByLabel('时区', { exact: true }).locator('xpath=ancestor::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');

/** Puts the shared demo workspace back through the API when a test stopped half-way. */
async function restoreDemoWorkspace(page: Page): Promise<void> {
  const me = await page.request.get('/api/v1/me');
  if (!me.ok()) return;
  const ws = (await me.json()).workspaces[0];
  if (!ws.capabilities.includes('workspace.manage')) return;
  const csrf = (await page.context().cookies()).find((c) => c.name === 'kox_csrf')?.value ?? '';
  await page.request.patch(`/api/v1/workspaces/${ws.id}`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { name: DEMO_NAME, time_zone: DEMO_TIME_ZONE },
  });
}

test.afterEach(async ({ page }, testInfo) => {
  if (testInfo.status !== testInfo.expectedStatus) await restoreDemoWorkspace(page);
});

test('admin renames the workspace and changes its time zone', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '空间设置');
  await expect(page).toHaveURL(/\/settings\/workspace$/);

  const name = page.getByLabel('工作区名称');
  const save = page.getByRole('button', { name: '保存' });
  await expect(name).toHaveValue(DEMO_NAME);
  await expect(timeZoneSelect(page)).toContainText(DEMO_TIME_ZONE);
  await expect(save).toBeDisabled();

  // An empty name is refused next to the input.
  await name.fill('');
  await expect(page.getByText('请输入工作区名称')).toBeVisible();

  const renamed = `星河汽车 · 品牌部${uniq()}`;
  await name.fill(renamed);
  await chooseOption(page, page, '时区', 'Asia/Hong_Kong');
  await save.click();
  await expect(page.getByText('空间设置已保存')).toBeVisible();
  await expect(header(page)).toContainText(renamed);
  await expect(save).toBeDisabled();

  await page.reload();
  await expect(name).toHaveValue(renamed);
  await expect(timeZoneSelect(page)).toContainText('Asia/Hong_Kong');
  await expect(header(page)).toContainText(renamed);

  // Restore the demo workspace for the other specs.
  await name.fill(DEMO_NAME);
  await chooseOption(page, page, '时区', DEMO_TIME_ZONE);
  await save.click();
  await expect(header(page)).toContainText(DEMO_NAME);
  await page.reload();
  await expect(name).toHaveValue(DEMO_NAME);
  await expect(timeZoneSelect(page)).toContainText(DEMO_TIME_ZONE);
});

test('viewer sees the workspace settings read-only', async ({ page }) => {
  await login(page, 'viewer');
  await openMenu(page, '空间设置');
  await expect(page.getByLabel('工作区名称')).toHaveValue(DEMO_NAME);
  await expect(page.getByLabel('工作区名称')).toBeDisabled();
  await expect(page.getByLabel('时区', { exact: true })).toBeDisabled();
  await expect(timeZoneSelect(page)).toContainText(DEMO_TIME_ZONE);
  await expect(page.getByText('你可以查看空间设置，但没有修改权限。')).toBeVisible();
  await expect(page.getByRole('button', { name: '保存' })).toHaveCount(0);
});
