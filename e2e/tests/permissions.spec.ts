import { expect, test } from '@playwright/test';
import { login } from './helpers';

test('operator can edit only the accounts they own', async ({ page }) => {
  await login(page, 'operator');
  const rows = page.getByTestId('accounts-table').locator('tbody tr.ant-table-row');
  await expect(rows.first()).toBeVisible();
  const total = await rows.count();
  const editable = await rows.filter({ has: page.getByRole('button', { name: '编辑' }) }).count();
  expect(editable).toBeGreaterThan(0);
  expect(editable).toBeLessThan(total);
});
