import { describe, expect, it } from 'vitest';
import i18n, { setLocale } from '../../i18n';
import type { GradeRecord, Snapshot } from './api';
import { countsPresent, countText, formatRate, formatSeconds, gradeReason, newestFirst, replyText, snapshotChart } from './grade';

const record = (g: Partial<GradeRecord>): GradeRecord => ({
  grade: 'S',
  method: 'relative',
  interactions: 1520,
  baseline: 300,
  baseline_posts: 30,
  multiple: 5.0667,
  threshold: null,
  rule_version: 2,
  as_of: '2026-12-08',
  graded_at: '2026-12-08T00:00:00Z',
  ...g,
});

const snap = (as_of: string, c: Partial<Snapshot>): Snapshot => ({ as_of, at_least: [], updated_at: `${as_of}T00:00:00Z`, ...c });

describe('why a post has its grade', () => {
  it('names the multiple of the account’s median, in both languages', async () => {
    await setLocale('zh-CN');
    expect(gradeReason(record({}), 'zh-CN', i18n.t)).toBe('S：互动 1,520，是该账号近 30 篇中位数 300 的 5.1 倍（规则 v2）');
    await setLocale('en-US');
    expect(gradeReason(record({}), 'en-US', i18n.t)).toBe("S: 1,520 interactions, 5.1× the median 300 of the account's last 30 posts (rules v2)");
    expect(gradeReason(record({ baseline_posts: 1 }), 'en-US', i18n.t)).toContain('last 1 post (');
    await setLocale('zh-CN');
  });

  it('names the 爆文 threshold an S reached', async () => {
    await setLocale('zh-CN');
    expect(gradeReason(record({ method: 'absolute', threshold: 10000, interactions: 12000, multiple: null }), 'zh-CN', i18n.t)).toBe(
      'S：互动 12,000，达到爆文线 10,000（规则 v2）',
    );
  });

  it('says the history is too short, with the minimum when the definitions are known, and the default rules by name', async () => {
    await setLocale('zh-CN');
    const g = record({ grade: null, method: 'too_little_history', baseline: 7, baseline_posts: 1, multiple: null, rule_version: 0 });
    expect(gradeReason(g, 'zh-CN', i18n.t, 5)).toBe('历史不足：该账号此前只有 1 篇有数据的作品，至少 5 篇才按中位数评级（默认规则）');
    expect(gradeReason(g, 'zh-CN', i18n.t)).toBe('历史不足：该账号此前只有 1 篇有数据的作品（默认规则）');
  });
});

describe('numbers of the 数据 tab', () => {
  it('writes a count shown as a floor with a plus, a missing one as a dash', () => {
    const s = snap('2026-12-08', { reads: 100000, likes: 5, at_least: ['reads'] });
    expect(countText(s, 'reads', 'zh-CN')).toBe('100,000+');
    expect(countText(s, 'likes', 'zh-CN')).toBe('5');
    expect(countText(s, 'saves', 'zh-CN')).toBe('—');
  });

  it('writes rates as percentages and watch times in seconds or minutes', () => {
    expect(formatRate(0.325, 'zh-CN')).toBe('32.5%');
    expect(formatRate(null, 'zh-CN')).toBe('—');
    const t = (k: string, o?: Record<string, unknown>) => `${k}:${JSON.stringify(o)}`;
    expect(formatSeconds(32.5, t)).toBe('metrics:units.seconds:{"n":32.5}');
    expect(formatSeconds(65, t)).toBe('metrics:units.minutes:{"m":1,"s":5}');
  });

  it('lists only the counts some snapshot has, newest first in the table', () => {
    const days = [snap('2026-12-06', { reads: 10 }), snap('2026-12-08', { reads: 30, likes: 3 }), snap('2026-12-07', { reads: 20 })];
    expect(countsPresent(days)).toEqual(['reads', 'likes']);
    expect(newestFirst(days).map((s) => s.as_of)).toEqual(['2026-12-08', '2026-12-07', '2026-12-06']);
  });

  it('charts each count by day, views on their own axis', () => {
    const days = [snap('2026-12-08', { reads: 30, likes: 3 }), snap('2026-12-06', { reads: 10, likes: null })];
    const option = snapshotChart({ snapshots: days }, (c) => c);
    expect(option.xAxis.data).toEqual(['12-06', '12-08']);
    expect(option.yAxis).toHaveLength(2);
    expect(option.series.map((s) => [s.name, s.yAxisIndex, s.data])).toEqual([
      ['reads', 0, [10, 30]],
      ['likes', 1, [null, 3]],
    ]);
    expect(snapshotChart({ snapshots: [snap('2026-12-08', { likes: 1 })] }, (c) => c).yAxis).toHaveLength(1);
  });
});

describe('the 24 h reply status', () => {
  it('counts the comments and those answered within a day, with the share rounded, in both languages', async () => {
    await setLocale('zh-CN');
    expect(replyText({ comments: 12, replied_24h: 9 }, 'zh-CN', i18n.t)).toBe('评论 12 条，24 小时内回复 9 条（75%）');
    expect(replyText({ comments: 3, replied_24h: 1 }, 'zh-CN', i18n.t)).toBe('评论 3 条，24 小时内回复 1 条（33%）');
    expect(replyText({ comments: 1200, replied_24h: 1200 }, 'zh-CN', i18n.t)).toBe('评论 1,200 条，24 小时内回复 1,200 条（100%）');
    await setLocale('en-US');
    expect(replyText({ comments: 12, replied_24h: 9 }, 'en-US', i18n.t)).toBe('12 comments, 9 answered within 24 hours (75%)');
    expect(replyText({ comments: 1, replied_24h: 0 }, 'en-US', i18n.t)).toBe('1 comment, 0 answered within 24 hours (0%)');
    await setLocale('zh-CN');
  });

  it('has no share for a post without comments', async () => {
    await setLocale('zh-CN');
    expect(replyText({ comments: 0, replied_24h: 0 }, 'zh-CN', i18n.t)).not.toContain('%');
  });
});
