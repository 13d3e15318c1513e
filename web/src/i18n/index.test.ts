import { describe, expect, it } from 'vitest';
import i18n, { setLocale } from './index';

describe('i18n set-up', () => {
  it('finds capability keys by namespace and shared keys without one, in both languages', async () => {
    await setLocale('zh-CN');
    expect(i18n.t('accounts:overview.title')).toBe('矩阵总览');
    expect(i18n.t('common.save')).toBe('保存');
    expect(i18n.t('common.total', { count: 3 })).toBe('共 3 条');
    expect(i18n.exists('actions.account.created')).toBe(true);
    await setLocale('en-US');
    expect(i18n.t('custom-fields:title')).toBe('Custom fields');
    expect(i18n.t('errors.urlPattern')).toBe('Write link rules as host/path-prefix without https://, e.g. xhslink.com/');
    await setLocale('zh-CN');
  });

  it('picks the plural form from the count', async () => {
    await setLocale('en-US');
    expect(i18n.t('content:draftsCreated', { count: 1 })).toBe('1 draft created');
    expect(i18n.t('content:draftsCreated', { count: 3 })).toBe('3 drafts created');
    await setLocale('zh-CN');
    expect(i18n.t('content:draftsCreated', { count: 1 })).toBe('已生成 1 篇稿件');
    expect(i18n.t('content:draftsCreated', { count: 3 })).toBe('已生成 3 篇稿件');
  });
});
