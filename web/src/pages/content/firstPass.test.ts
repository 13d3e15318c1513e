import { describe, expect, it } from 'vitest';
import { formatPercent, onTarget, rowLabel, sortRows } from './firstPass';

describe('formatPercent', () => {
  it('shows at most one decimal', () => {
    expect(formatPercent(0.953, 'zh-CN')).toBe('95.3%');
    expect(formatPercent(0.95, 'zh-CN')).toBe('95%');
    expect(formatPercent(1, 'en-US')).toBe('100%');
    expect(formatPercent(0, 'en-US')).toBe('0%');
    expect(formatPercent(2 / 3, 'en-US')).toBe('66.7%');
  });

  it('shows a dash when nothing was reviewed', () => {
    expect(formatPercent(null, 'zh-CN')).toBe('—');
    expect(formatPercent(undefined, 'zh-CN')).toBe('—');
    expect(formatPercent(Number.NaN, 'zh-CN')).toBe('—');
  });
});

describe('onTarget', () => {
  it('compares with the 95% target', () => {
    expect(onTarget(0.95)).toBe(true);
    expect(onTarget(19 / 20)).toBe(true);
    expect(onTarget(0.9499)).toBe(false);
    expect(onTarget(null)).toBe(false);
    expect(onTarget(0.8, 0.8)).toBe(true);
  });
});

describe('sortRows', () => {
  it('puts the best rate first and empty rows last', () => {
    const rows = [
      { key: 'a', label: '甲', reviewed: 4, first_pass: 3, rate: 0.75 },
      { key: 'b', label: '乙', reviewed: 0, first_pass: 0, rate: null },
      { key: 'c', label: '丙', reviewed: 10, first_pass: 10, rate: 1 },
      { key: 'd', label: '丁', reviewed: 8, first_pass: 6, rate: 0.75 },
    ];
    expect(sortRows(rows).map((r) => r.key)).toEqual(['c', 'd', 'a', 'b']);
  });
});

describe('rowLabel', () => {
  it('translates the overall and unassigned rows', () => {
    const t = (k: string) => `t:${k}`;
    expect(rowLabel({ key: 'all', label: '全部' }, t)).toBe('t:content:firstPass.by.all');
    expect(rowLabel({ key: 'none', label: '未指定' }, t)).toBe('t:content:firstPass.unassigned');
    expect(rowLabel({ key: '12', label: '林编辑' }, t)).toBe('林编辑');
    expect(rowLabel({ key: '13', label: '' }, t)).toBe('#13');
  });
});
