import { describe, expect, it } from 'vitest';
import i18n, { setLocale } from '../../i18n';
import { bySeverity, conflictSentence, conflictsOfError, duration, worstSeverity } from './conflictText';
import { ApiError } from '../../api/client';
import type { Conflict } from './types';

const SH = 'Asia/Shanghai';
const c = (rule: Conflict['rule'], params: Record<string, unknown>, severity: Conflict['severity'] = 'warn'): Conflict => ({
  rule,
  severity,
  message: `english ${rule}`,
  others: [],
  params,
});

describe('conflict sentences', () => {
  // The item is planned at 11:00 on Dec 8 in Shanghai.
  const at = '2025-12-08T03:00:00Z';
  const cx = () => ({ t: i18n.t.bind(i18n), zone: SH, at, platformName: (code: string) => (code === 'xiaohongshu' ? '小红书' : code) });

  it('writes each rule as the contract’s Chinese sentence, times in the workspace zone', async () => {
    await setLocale('zh-CN');
    const cases: [Conflict, string][] = [
      [c('min_gap', { other_title: '星河 S7 首发', other_at: '2025-12-08T02:00:00Z', gap_minutes: 60, min_hours: 4 }), '与 10:00 的《星河 S7 首发》间隔仅 1 小时，账号最小间隔 4 小时'],
      [c('min_gap', { other_title: 'x', other_at: '2025-12-07T15:30:00Z', gap_minutes: 90, min_hours: 4 }), '与 12-07 23:30 的《x》间隔仅 1 小时 30 分钟，账号最小间隔 4 小时'],
      [c('account_daily', { count: 3, max: 3, day: '2025-12-08' }), '该账号 12-08 已排 3 条，每日上限 3 条'],
      [c('platform_daily', { platform: 'xiaohongshu', count: 101, max: 100, day: '2025-12-08' }), '小红书 12-08 全矩阵已排 101 条，上限 100 条'],
      [c('quiet_hours', { start: '01:00', end: '07:00', local_time: '02:30' }), '02:30 在静默时段 01:00–07:00'],
      [c('embargo', { campaign_id: 2, campaign_name: '星河 S7', embargo_at: '2025-12-10T12:00:00Z' }, 'block'), '战役《星河 S7》解禁时间为 12-10 20:00，此前不可发布'],
      [c('topic_spacing', { key_kind: 'hashtag', key: '星河S7', accounts: 6, max_accounts: 5, hours: 2 }), '#星河S7# 在 2 小时内已有 6 个账号发布，超过 5 个显得同质化'],
      [c('topic_spacing', { key_kind: 'topic', key: '冬季续航', accounts: 6, max_accounts: 5, hours: 2 }), '选题《冬季续航》在 2 小时内已有 6 个账号发布，超过 5 个显得同质化'],
      [c('after_due', { due_on: '2025-12-07' }), '排期晚于截止日 12-07'],
      [c('unapproved', { hours: 24, stage: 'draft' }), '距发布不足 24 小时，仍未审核通过'],
      [c('past_slot', {}, 'block'), '不能排到过去的时间'],
      [c('holiday', { day: '2026-01-01', name: '元旦', tier: 'KOE' }), '01-01 是法定节假日（元旦），KOE 账号不宜发布'],
    ];
    for (const [conflict, text] of cases) expect(conflictSentence(conflict, cx()), conflict.rule).toBe(text);
  }, 30_000);

  it('writes them in English too', async () => {
    await setLocale('en-US');
    expect(conflictSentence(c('min_gap', { other_title: 'Launch', other_at: '2025-12-08T02:00:00Z', gap_minutes: 60, min_hours: 4 }), cx())).toBe(
      'Only 1 hour from “Launch” at 10:00; this account needs 4 h between posts',
    );
    expect(conflictSentence(c('topic_spacing', { key_kind: 'hashtag', key: '#星河S7#', accounts: 6, max_accounts: 5, hours: 2 }), cx())).toBe(
      '#星河S7 is already posted by 6 accounts within 2 h; more than 5 looks homogeneous',
    );
    await setLocale('zh-CN');
  });

  it('falls back to the server’s message when the params are not understood', async () => {
    await setLocale('zh-CN');
    expect(conflictSentence(c('min_gap', {}), cx())).toBe('english min_gap');
    expect(conflictSentence(c('holiday', { day: 'soon' }), cx())).toBe('english holiday');
    expect(conflictSentence({ ...c('past_slot', {}), rule: 'new_rule' as Conflict['rule'], message: 'english new_rule' }, cx())).toBe('english new_rule');
  });

  it('writes durations in minutes, hours, or both', async () => {
    await setLocale('zh-CN');
    const t = i18n.t.bind(i18n);
    expect(duration(45, t)).toBe('45 分钟');
    expect(duration(120, t)).toBe('2 小时');
    expect(duration(150, t)).toBe('2 小时 30 分钟');
  });
});

describe('conflict helpers', () => {
  it('orders by severity and finds the worst', () => {
    const list = [c('min_gap', {}), c('embargo', {}, 'block'), c('after_due', {})];
    expect(bySeverity(list).map((x) => x.rule)).toEqual(['embargo', 'min_gap', 'after_due']);
    expect(worstSeverity(list)).toBe('block');
    expect(worstSeverity([c('min_gap', {})])).toBe('warn');
    expect(worstSeverity([])).toBeNull();
  });

  it('reads the conflicts of a 409 calendar.conflict', () => {
    const conflicts = [c('embargo', {}, 'block')];
    expect(conflictsOfError(new ApiError(409, 'calendar.conflict', 'x', 'planned_at', { conflicts }))).toEqual(conflicts);
    expect(conflictsOfError(new ApiError(409, 'conflict.stale_version', 'x', 'planned_at'))).toEqual([]);
    expect(conflictsOfError(new Error('x'))).toEqual([]);
  });
});
