import { expect, test } from '@playwright/test';
import { chooseOption, login, openAccounts, uniq } from './helpers';

/** A GBK-free but Excel-typical CSV: BOM, CRLF, a banner line above the header, 万 counts. */
function csv(rows: string[][]): Buffer {
  const text = ['导出时间：2026-12-01', ...rows.map((r) => r.join(','))].join('\r\n');
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

test('a director imports accounts from a spreadsheet: mapping, preview with errors by row and column, commit', async ({ page }) => {
  await login(page, 'director');
  await openAccounts(page);
  const a = `imp_${uniq()}`;
  const b = `imp_${uniq()}`;
  const file = csv([
    ['层级', '平台', '账号', '达人昵称', '粉丝量', '负责人'],
    ['KOC', '小红书', a, `导入测试 ${a}`, '1.2万', ''],
    ['大V', '抖音', 'bad_row', '错行', '很多', ''],
    ['kol', '抖音', `@${b}`, `导入测试 ${b}`, '8K', ''],
  ]);

  await page.getByTestId('account-import').click();
  await page.getByTestId('import-file').locator('input[type=file]').setInputFiles({ name: '账号矩阵.csv', mimeType: 'text/csv', buffer: file });

  // The header below the banner line was found and the columns were matched by their names.
  const mapping = page.getByTestId('import-mapping');
  await expect(page.getByText('共 3 行数据（表头在第 2 行）')).toBeVisible();
  await expect(page.getByTestId('import-map-handle')).toContainText('账号 (C)');
  await expect(page.getByTestId('import-map-followers')).toContainText('粉丝量 (E)');
  await expect(mapping.locator('tr').filter({ hasText: '昵称' })).toContainText(`导入测试 ${a}`);
  await page.getByTestId('import-preview').click();

  const counts = page.getByTestId('import-counts');
  await expect(counts).toContainText('新建2');
  await expect(counts).toContainText('有错误1');
  const issues = page.getByTestId('import-issues');
  await expect(issues.locator('tbody tr')).toHaveCount(2);
  await expect(issues.locator('tbody tr').first()).toContainText('4');
  await expect(issues).toContainText('A · 层级');
  await expect(issues).toContainText('层级应为 KOL、KOC、KOE 或 KOS');
  await expect(issues).toContainText('E · 粉丝量');
  await expect(issues).toContainText('应为数量');

  // Nothing is written while a row has errors, unless the user chooses to skip it.
  await expect(page.getByTestId('import-commit')).toBeDisabled();
  await page.getByTestId('import-skip-invalid').click();
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-done')).toContainText('新建 2，更新 0，无变化 0，跳过 1');
  await page.getByTestId('import-close').click();

  await chooseOption(page, page.getByTestId('account-filters'), '排序', '最新创建');
  const table = page.getByTestId('accounts-table');
  await expect(table.locator('tbody tr.ant-table-row').filter({ hasText: a })).toContainText('1.2万');
  await expect(table.locator('tbody tr.ant-table-row').filter({ hasText: b })).toContainText('8000');

  // The same file again changes nothing: rows are matched on platform + handle.
  await page.getByTestId('account-import').click();
  await page.getByTestId('import-file').locator('input[type=file]').setInputFiles({ name: '账号矩阵.csv', mimeType: 'text/csv', buffer: file });
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('import-counts')).toContainText('无变化2');
  await expect(page.getByTestId('import-counts')).toContainText('新建0');
});

test('a viewer is not offered the import', async ({ page }) => {
  await login(page, 'viewer');
  await openAccounts(page);
  await expect(page.getByTestId('account-new')).toHaveCount(0);
  await expect(page.getByTestId('account-import')).toHaveCount(0);
});
