import { describe, expect, it } from 'vitest';
import { fieldChanges, valueText } from './eventDiff';

describe('fieldChanges', () => {
  it('lists only the fields that differ, without bookkeeping', () => {
    expect(fieldChanges({ title: '旧标题', version: 3, body: '同' }, { title: '新标题', version: 4, body: '同' })).toEqual([
      { key: 'title', before: '旧标题', after: '新标题' },
    ]);
  });
  it('shows a created record field by field from nothing', () => {
    expect(fieldChanges(null, { name: '小红书', active: true })).toEqual([
      { key: 'active', before: '—', after: '✓' },
      { key: 'name', before: '—', after: '小红书' },
    ]);
  });
  it('treats equal lists as unchanged and joins changed ones', () => {
    expect(fieldChanges({ tags: ['亲子'] }, { tags: ['亲子'] })).toEqual([]);
    expect(fieldChanges({ tags: ['亲子'] }, { tags: ['亲子', '通勤'] })).toEqual([{ key: 'tags', before: '亲子', after: '亲子、通勤' }]);
  });
});

describe('valueText', () => {
  it('writes nothing as a dash', () => {
    expect(valueText(null)).toBe('—');
    expect(valueText('')).toBe('—');
    expect(valueText([])).toBe('—');
    expect(valueText(12)).toBe('12');
  });
});
