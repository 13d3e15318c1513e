import { describe, expect, it } from 'vitest';
import { lookup } from '../../i18n/namespaces';
import type { MetricDefinitions } from './api';
import { DEFAULT_DEFINITIONS, registryBody, registryChanged, registryFormValues, registryProblems } from './registryForm';

const stored: MetricDefinitions = {
  ...DEFAULT_DEFINITIONS,
  rate_base: 'impressions',
  grades: { ...DEFAULT_DEFINITIONS.grades, absolute: [{ tier: 'KOC', platform: 'xiaohongshu', interactions: 10000 }, { interactions: 50000 }] },
};

describe('the metric definitions form', () => {
  it('round-trips the stored definitions', () => {
    const v = registryFormValues(stored);
    expect(v.interactions).toEqual(['likes', 'saves', 'comments']);
    expect(v.grades.absolute[1]).toEqual({ tier: null, platform: null, interactions: 50000 });
    expect(registryBody(v)).toEqual({
      ...stored,
      grades: { ...stored.grades, absolute: [{ tier: 'KOC', platform: 'xiaohongshu', interactions: 10000 }, { tier: null, platform: null, interactions: 50000 }] },
    });
    expect(registryChanged(stored, v)).toBe(false);
  });

  it('sends the ticked parts as flags and whole numbers where the server counts', () => {
    const v = registryFormValues(stored);
    v.interactions = ['shares'];
    v.grades.baseline_posts = 20.4;
    v.grades.absolute = [{ tier: undefined, platform: '', interactions: 999.6 }];
    const body = registryBody(v);
    expect(body.interactions).toEqual({ likes: false, saves: false, comments: false, shares: true });
    expect(body.grades.baseline_posts).toBe(20);
    expect(body.grades.absolute).toEqual([{ tier: null, platform: null, interactions: 1000 }]);
    expect(registryChanged(stored, v)).toBe(true);
  });

  it('finds what the server would refuse, at the field it names', () => {
    const v = registryFormValues(DEFAULT_DEFINITIONS);
    expect(registryProblems(v)).toEqual([]);
    v.interactions = [];
    v.grades = { ...v.grades, s: 2, a: 2, min_history: 40, absolute: [{ tier: 'KOC', platform: null, interactions: 1 }, { tier: 'KOC', platform: null, interactions: 2 }] };
    const problems = registryProblems(v);
    expect(problems.map((p) => p.field.join('.'))).toEqual(['interactions', 'grades.a', 'grades.min_history', 'grades.absolute.1.platform']);
    for (const p of problems) for (const lng of ['zh-CN', 'en-US'] as const) expect(typeof lookup(lng, p.key), p.key).toBe('string');
  });
});
