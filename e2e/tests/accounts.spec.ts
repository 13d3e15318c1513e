import { expect, test } from '@playwright/test';
import { addTag, chooseOption, login, openAccounts, uniq } from './helpers';

test('director creates an account and finds it in the table', async ({ page }) => {
  await login(page, 'director');
  await openAccounts(page);
  const handle = `e2e_${uniq()}`;

  await page.getByRole('button', { name: '新建账号' }).click();
  const drawer = page.getByTestId('account-drawer');
  await expect(drawer.getByText('新建账号')).toBeVisible();
  await chooseOption(page, drawer, '层级', 'KOL');
  await chooseOption(page, drawer, '平台', '小红书');
  await drawer.getByLabel('账号 ID').fill(handle);
  await drawer.getByLabel('昵称').fill(`测试达人 ${handle}`);
  await drawer.getByLabel('人设定位').fill('90 后职场护肤博主');
  await drawer.getByLabel('粉丝数').fill('123456');
  await addTag(drawer, '标签', '护肤');
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('账号已创建')).toBeVisible();
  await expect(drawer).toBeHidden();

  // Newest first: the new account is on the first page.
  await chooseOption(page, page.getByTestId('account-filters'), '排序', '最新创建');
  const row = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row').filter({ hasText: handle });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`测试达人 ${handle}`);
  await expect(row).toContainText('12.3万');
  await expect(row).toContainText('护肤');
  await expect(row.getByTestId('tier-tag')).toHaveText('KOL');

  // The detail drawer shows the creation in the activity feed.
  await row.getByTestId('account-display-name').click();
  const detail = page.getByTestId('account-detail');
  await expect(detail.getByTestId('activity-item').first()).toContainText('创建账号');
});

test('a duplicate handle is reported next to the field', async ({ page }) => {
  await login(page, 'director');
  await openAccounts(page);
  const handle = `dup_${uniq()}`;
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: '新建账号' }).click();
    const drawer = page.getByTestId('account-drawer');
    await chooseOption(page, drawer, '平台', '抖音');
    await drawer.getByLabel('账号 ID').fill(handle);
    await drawer.getByLabel('昵称').fill(`重复 ${i}`);
    await drawer.getByRole('button', { name: '保存' }).click();
    if (i === 0) {
      await expect(drawer).toBeHidden();
    } else {
      await expect(drawer.getByText('该平台上已存在相同账号 ID')).toBeVisible();
    }
  }
});

test('the search box finds an account by handle and by display name', async ({ page }) => {
  await login(page, 'director');
  await openAccounts(page);
  const handle = `find_${uniq()}`;
  await page.getByRole('button', { name: '新建账号' }).click();
  const drawer = page.getByTestId('account-drawer');
  await chooseOption(page, drawer, '平台', '微博');
  await drawer.getByLabel('账号 ID').fill(handle);
  await drawer.getByLabel('昵称').fill(`搜索目标${handle}`);
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(drawer).toBeHidden();

  const search = page.getByTestId('account-filters').getByLabel('搜索', { exact: true });
  const rows = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row');
  for (const q of [handle, `搜索目标${handle}`]) {
    await search.fill(q);
    await search.press('Enter');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(handle);
  }
});

test('archive hides an account, the archived filter shows it and restore brings it back', async ({ page }) => {
  await login(page, 'director');
  await openAccounts(page);
  const handle = `arch_${uniq()}`;
  await page.getByRole('button', { name: '新建账号' }).click();
  const drawer = page.getByTestId('account-drawer');
  await chooseOption(page, drawer, '平台', 'B站');
  await drawer.getByLabel('账号 ID').fill(handle);
  await drawer.getByLabel('昵称').fill(`归档测试${handle}`);
  await drawer.getByRole('button', { name: '保存' }).click();
  await expect(drawer).toBeHidden();

  // Filters live in the address bar.
  await page.goto('/accounts?sort=created_desc');
  const rows = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row');
  const row = rows.filter({ hasText: handle });
  await row.getByRole('button', { name: '归档' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
  await expect(page.getByText('已归档', { exact: true }).first()).toBeVisible();
  await expect(row).toHaveCount(0);

  await page.goto('/accounts?status=archived&sort=created_desc');
  await expect(page.getByTestId('account-filters')).toContainText('已归档');
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: '恢复' }).click();
  await expect(row).toHaveCount(0);

  await page.goto('/accounts?sort=created_desc');
  await expect(row).toHaveCount(1);
});
