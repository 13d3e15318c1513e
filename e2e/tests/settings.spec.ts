import { expect, test } from '@playwright/test';
import { chooseOption, login, openMenu, uniq } from './helpers';

test('admin invites a person who joins by the link; removed and invited again, they accept inside KOX', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await login(page, 'admin');
  await openMenu(page, '成员');
  const suffix = uniq();
  const name = `新同事${suffix}`;
  const email = `new_${suffix}@kox.demo`;

  const invite = async (role: string) => {
    await page.getByRole('button', { name: '邀请成员' }).click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('邮箱').fill(email);
    await modal.getByLabel('称呼').fill(name);
    await chooseOption(page, modal, '角色', role);
    await chooseOption(page, modal, '小组', '数据与支持组');
    await modal.getByRole('button', { name: '生成邀请链接' }).click();
    await expect(modal.getByText('邀请已创建')).toBeVisible();
    const link = (await modal.getByTestId('invitation-link').innerText()).trim();
    await modal.getByRole('button', { name: '完成' }).click();
    await expect(page.getByTestId('invitations-table')).toContainText(email);
    return link;
  };
  const link = await invite('媒介');
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);

  // The person opens the link in their own browser, sets a password and is in.
  const theirs = await browser.newContext();
  const person = await theirs.newPage();
  await person.goto(link);
  const card = person.getByTestId('invitation-card');
  await expect(card).toContainText('加入「');
  await expect(card).toContainText(email);
  await card.getByLabel('你的姓名').fill(name);
  await card.getByLabel('设置密码').fill('initial-pass-2026');
  await card.getByLabel('确认密码').fill('initial-pass-2026');
  await card.getByTestId('invitation-register').click();
  await expect(person.getByTestId('user-menu')).toContainText(name);
  // The link worked once.
  await person.goto(link);
  await expect(person.getByTestId('invitation-invalid')).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('invitations-table')).not.toContainText(email);
  const row = page.getByTestId('members-table').locator('tbody tr.ant-table-row').filter({ hasText: name });
  await expect(row).toContainText('媒介');
  // A role change asks first; cancelling keeps the role.
  const confirm = page.getByRole('dialog').filter({ hasText: '修改角色？' });
  await chooseOption(page, row, `角色 ${name}`, '只读成员', confirm);
  await expect(confirm).toContainText(`将「${name}」的角色从「媒介」改为「只读成员」`);
  await confirm.getByRole('button', { name: /取\s*消/ }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText('媒介');
  await chooseOption(page, row, `角色 ${name}`, '只读成员', confirm);
  await confirm.getByRole('button', { name: '修改' }).click();
  await expect(page.getByText('成员已更新')).toBeVisible();
  // The list finds a member by a part of the e-mail.
  await page.getByPlaceholder('搜索姓名或邮箱').fill(email.split('@')[0].toUpperCase());
  await expect(page.getByTestId('members-table').locator('tbody tr.ant-table-row')).toHaveCount(1);
  await page.getByPlaceholder('搜索姓名或邮箱').fill('');
  await page.reload();
  await expect(page.getByTestId('members-table').locator('tbody tr.ant-table-row').filter({ hasText: name })).toContainText('只读成员');

  // Removed, then invited again: now they have an account, and accept inside KOX.
  await page.getByTestId('members-table').locator('tbody tr.ant-table-row').filter({ hasText: name }).getByRole('button', { name: '移除' }).click();
  await page.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByText('成员已移除')).toBeVisible();
  // Not the form's default role: picking the option already shown would leave its list open.
  await invite('策划');
  await person.goto('/');
  const banner = person.getByTestId('pending-invitations');
  await expect(banner).toContainText('邀请你以「策划」加入');
  await banner.getByRole('button', { name: '接受邀请' }).click();
  await expect(person.getByText(/已加入「/)).toBeVisible();
  await expect(banner).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('members-table').locator('tbody tr.ant-table-row').filter({ hasText: name })).toContainText('策划');
  await theirs.close();
});

test('viewer sees members read-only', async ({ page }) => {
  await login(page, 'viewer');
  await openMenu(page, '成员');
  await expect(page.getByTestId('members-table')).toBeVisible();
  await expect(page).toHaveTitle('成员 · KOX');
  await expect(page.getByRole('button', { name: '邀请成员' })).toHaveCount(0);
  await expect(page.getByTestId('members-table').getByRole('combobox')).toHaveCount(0);
});

test('admin adds, renames and deactivates a platform', async ({ page }) => {
  await login(page, 'admin');
  await openMenu(page, '平台');
  const suffix = uniq();
  const code = `p_${suffix}`;

  await page.getByRole('button', { name: '添加平台' }).click();
  const modal = page.getByRole('dialog');
  await modal.getByLabel('平台代码').fill(code);
  await modal.getByLabel('平台名称').fill(`平台${suffix}`);
  await modal.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('平台已添加')).toBeVisible();

  const row = page.getByTestId('platforms-table').locator('tbody tr.ant-table-row').filter({ hasText: code });
  await row.getByRole('button', { name: '编辑' }).click();
  await page.getByRole('dialog').getByLabel('平台名称').fill(`改名${suffix}`);
  await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
  await expect(row).toContainText(`改名${suffix}`);

  const toggle = row.getByRole('switch');
  await expect(toggle).toBeChecked();
  await toggle.click();
  await expect(toggle).not.toBeChecked();
});

test('an API token is shown once after creation and can be revoked', async ({ page }) => {
  await login(page, 'analyst');
  await openMenu(page, '个人');
  await expect(page.getByTestId('sessions-table')).toContainText('当前会话');

  const name = `报表同步${uniq()}`;
  await page.getByRole('button', { name: '新建令牌' }).click();
  await page.getByRole('dialog').getByLabel('令牌名称').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: '新建' }).click();
  const token = page.getByTestId('created-token');
  await expect(token).toBeVisible();
  expect((await token.innerText()).trim().length).toBeGreaterThan(16);
  await page.getByRole('dialog').getByRole('button', { name: '关闭' }).first().click();

  const row = page.getByTestId('tokens-table').locator('tbody tr.ant-table-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: '吊销' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
  await expect(row).toHaveCount(0);
});
