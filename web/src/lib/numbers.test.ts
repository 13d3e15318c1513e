import { describe, expect, it } from 'vitest';
import { formatFollowers } from './numbers';

describe('formatFollowers', () => {
  it('uses 万 and 亿 in Chinese', () => {
    expect(formatFollowers(0, 'zh-CN')).toBe('0');
    expect(formatFollowers(9999, 'zh-CN')).toBe('9999');
    expect(formatFollowers(10000, 'zh-CN')).toBe('1万');
    expect(formatFollowers(123456, 'zh-CN')).toBe('12.3万');
    expect(formatFollowers(1250000, 'zh-CN')).toBe('125万');
    expect(formatFollowers(150000000, 'zh-CN')).toBe('1.5亿');
  });

  it('uses K and M in English', () => {
    expect(formatFollowers(9999, 'en-US')).toBe('9,999');
    expect(formatFollowers(12345, 'en-US')).toBe('12.3K');
    expect(formatFollowers(1250000, 'en-US')).toBe('1.25M');
    expect(formatFollowers(2000000000, 'en-US')).toBe('2B');
  });
});
