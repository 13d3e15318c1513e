import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { chooseOption, login, openAccounts } from './helpers';

/** Clicks 导出 Excel and returns the download's name and bytes, and the address it came from. */
async function exportFile(page: Page): Promise<{ name: string; bytes: Buffer; url: string }> {
  const request = page.waitForRequest((r) => r.url().includes('/export'));
  const download = page.waitForEvent('download');
  await page.getByTestId('export-button').click();
  const [req, file] = await Promise.all([request, download]);
  const path = await file.path();
  return { name: file.suggestedFilename(), bytes: readFileSync(path), url: req.url() };
}

const XLSX_MAGIC = Buffer.from('PK\u0003\u0004', 'latin1');

test('the accounts, campaigns and board export what the page shows to an Excel file', async ({ page }) => {
  test.setTimeout(120_000);
  await login(page, 'director');
  await openAccounts(page);
  await page.goto('/accounts?tier=KOL');
  await expect(page.getByTestId('accounts-table')).toBeVisible();
  const accounts = await exportFile(page);
  expect(accounts.name).toMatch(/^账号矩阵-\d{4}-\d{2}-\d{2}\.xlsx$/);
  expect(accounts.bytes.subarray(0, 4).equals(XLSX_MAGIC)).toBe(true);
  // The file holds the list as filtered: the same filter reaches the export.
  expect(new URL(accounts.url).searchParams.get('tier')).toBe('KOL');
  // And it is the file the API gives for that filter.
  const direct = await page.request.get(accounts.url);
  expect(direct.status()).toBe(200);
  expect(direct.headers()['content-type']).toContain('spreadsheetml');

  await page.goto('/campaigns');
  const campaigns = await exportFile(page);
  expect(campaigns.name).toMatch(/^营销战役-.*\.xlsx$/);
  expect(campaigns.bytes.subarray(0, 4).equals(XLSX_MAGIC)).toBe(true);

  await page.goto('/content?tier=KOC');
  await expect(page.getByTestId('column-topic')).toBeVisible();
  const board = await exportFile(page);
  expect(board.name).toMatch(/^内容看板-.*\.xlsx$/);
  expect(new URL(board.url).searchParams.get('tier')).toBe('KOC');
});

test('the audit log names objects, shows changes field by field, filters by person and exports', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/settings/audit');
  const table = page.getByTestId('audit-table');
  await expect(table.getByTestId('audit-object').first()).toBeVisible();
  // Content items are named by their title, not by a number.
  await expect(table.getByTestId('audit-object').filter({ hasText: /^内容《.+》$/ }).first()).toBeVisible();

  await chooseOption(page, page, '按操作人筛选', '林悦');
  await expect(async () => {
    const actors = await table.locator('tbody tr.ant-table-row td:nth-child(3)').allInnerTexts();
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set(['林悦']));
  }).toPass({ timeout: 10_000 });

  // An edit opens into a before/after table.
  const expandable = table.locator('tbody tr.ant-table-row').filter({ has: page.locator('.ant-table-row-expand-icon:not(.ant-table-row-expand-icon-spaced)') }).first();
  await expandable.locator('.ant-table-row-expand-icon').click();
  const diff = page.getByTestId('audit-diff').first();
  await expect(diff).toBeVisible();
  await expect(diff.getByRole('columnheader', { name: '修改前' })).toBeVisible();
  await expect(diff.getByRole('columnheader', { name: '修改后' })).toBeVisible();

  const file = await exportFile(page);
  expect(file.name).toMatch(/^审计日志-.*\.xlsx$/);
  expect(file.bytes.subarray(0, 4).equals(XLSX_MAGIC)).toBe(true);
  expect(new URL(file.url).searchParams.get('actor')).toMatch(/^\d+$/);
});

test('members who may not read the audit log get no export of it', async ({ page }) => {
  await login(page, 'director');
  const res = await page.request.get('/api/v1/workspaces/1/events/export');
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('auth.forbidden');
});
