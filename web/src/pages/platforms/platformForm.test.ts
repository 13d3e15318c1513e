import { describe, expect, it } from 'vitest';
import type { Platform } from '../../api/types';
import { normalizeUrlPattern, platformPatch, platformValues, URL_PATTERN, urlPatterns, type PlatformValues } from './platformForm';

const xhs = {
  code: 'xiaohongshu',
  name: '小红书',
  active: true,
  position: 1,
  title_max: 20,
  body_max: 1000,
  url_patterns: ['xiaohongshu.com/explore/', 'xhslink.com/'],
} as Platform;

const values = (p: Platform) => platformValues(p) as PlatformValues;

describe('platformPatch', () => {
  it('sends nothing when nothing changed', () => {
    expect(platformPatch(xhs, values(xhs))).toEqual({});
  });

  it('sends a cleared limit as null (no limit)', () => {
    expect(platformPatch(xhs, { ...values(xhs), title_max: null })).toEqual({ title_max: null });
    expect(platformPatch(xhs, { ...values(xhs), body_max: undefined })).toEqual({ body_max: null });
  });

  it('sends changed limits, names and link rules', () => {
    expect(platformPatch(xhs, { ...values(xhs), name: ' 小红书 ', title_max: 30 })).toEqual({ title_max: 30 });
    expect(platformPatch(xhs, { ...values(xhs), url_patterns: ['https://xhslink.com/', 'xhslink.com/'] })).toEqual({ url_patterns: ['xhslink.com/'] });
    const open = { ...xhs, title_max: null, body_max: null, url_patterns: [] } as Platform;
    expect(platformPatch(open, { ...values(open), body_max: 500, url_patterns: [] })).toEqual({ body_max: 500 });
  });
});

describe('link rules', () => {
  it('strips the scheme and rejects what is not host/path', () => {
    expect(normalizeUrlPattern(' https://www.douyin.com/video/ ')).toBe('www.douyin.com/video/');
    expect(urlPatterns(['b23.tv/', ' ', 'http://b23.tv/'])).toEqual(['b23.tv/']);
    expect(URL_PATTERN.test('xiaohongshu.com/explore/')).toBe(true);
    expect(URL_PATTERN.test('xhslink.com')).toBe(true);
    expect(URL_PATTERN.test('xiaohongshu')).toBe(false);
    expect(URL_PATTERN.test('xhs link.com/')).toBe(false);
  });
});
