import { describe, expect, it } from 'vitest';
import { fenToYuan, formatYuan, yuanToFen } from './money';

describe('money', () => {
  it('converts yuan to whole fen without float noise', () => {
    expect(yuanToFen(0.07)).toBe(7);
    expect(yuanToFen(1.1)).toBe(110);
    expect(yuanToFen(19.99)).toBe(1999);
    expect(yuanToFen(123456.78)).toBe(12345678);
    expect(yuanToFen('1,234.5')).toBe(123450);
    expect(yuanToFen('¥ 8')).toBe(800);
  });

  it('treats empty and invalid input as zero', () => {
    expect(yuanToFen(null)).toBe(0);
    expect(yuanToFen(undefined)).toBe(0);
    expect(yuanToFen('')).toBe(0);
    expect(yuanToFen('abc')).toBe(0);
  });

  it('converts fen back to yuan', () => {
    expect(fenToYuan(1999)).toBe(19.99);
    expect(fenToYuan(yuanToFen(0.3))).toBe(0.3);
  });

  it('formats fen as yuan with two decimals and grouping', () => {
    expect(formatYuan(0)).toBe('¥0.00');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(formatYuan(123456)).toBe('¥1,234.56');
    expect(formatYuan(5000000000)).toBe('¥50,000,000.00');
    expect(formatYuan(-250)).toBe('-¥2.50');
  });
});
