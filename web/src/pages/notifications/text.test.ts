import { afterAll, describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import i18n, { setLocale } from '../../i18n';
import type { Notification } from '../../api/types';
import translations from './i18n';
import { KINDS, notificationLink, notificationText, timeAgo } from './text';

type N = Pick<Notification, 'kind' | 'data' | 'actor_name' | 'title'>;
const n = (kind: N['kind'], data: Record<string, unknown> = {}, actor_name: string | null = null, title = '星河S7 城市通勤 30 天'): N => ({
  kind,
  data,
  actor_name,
  title,
});

const planned = '2026-12-07T12:00:00Z';
const at = dayjs(planned).format('HH:mm');

// Each kind's sentence in both languages: [notification, zh-CN, en-US].
const CASES: [string, N, string, string][] = [
  ['review requested', n('review_requested', { round: 1, step: 1 }, '李娜'), '李娜 提交了《星河S7 城市通勤 30 天》，等待你审核', '李娜 submitted “星河S7 城市通勤 30 天” for your review'],
  [
    'rejected with its reason',
    n('review_decided', { decision: 'rejected', reason: '「最」属于广告法禁用词' }, '陈思雨'),
    '陈思雨 驳回了《星河S7 城市通勤 30 天》：「最」属于广告法禁用词',
    '陈思雨 rejected “星河S7 城市通勤 30 天”: 「最」属于广告法禁用词',
  ],
  ['rejected without a reason', n('review_decided', { decision: 'rejected', reason: null }, '陈思雨'), '陈思雨 驳回了《星河S7 城市通勤 30 天》', '陈思雨 rejected “星河S7 城市通勤 30 天”'],
  ['approved', n('review_decided', { decision: 'approved' }, '陈思雨'), '陈思雨 通过了《星河S7 城市通勤 30 天》', '陈思雨 approved “星河S7 城市通勤 30 天”'],
  ['overridden', n('review_decided', { decision: 'overridden' }, '陈思雨'), '陈思雨 强制通过了《星河S7 城市通勤 30 天》', '陈思雨 approved “星河S7 城市通勤 30 天” anyway'],
  [
    'mention with the comment',
    n('mention', { comment: '@李娜 标题再短一点' }, '王浩然'),
    '王浩然 在《星河S7 城市通勤 30 天》的评论中提到了你：@李娜 标题再短一点',
    '王浩然 mentioned you in a comment on “星河S7 城市通勤 30 天”: @李娜 标题再短一点',
  ],
  ['assigned by nobody in particular', n('assigned', { stage: 'draft' }), '你被指派了《星河S7 城市通勤 30 天》', '“星河S7 城市通勤 30 天” was assigned to you'],
  ['assigned by someone', n('assigned', { stage: 'draft' }, '李娜'), '李娜 把《星河S7 城市通勤 30 天》指派给了你', '李娜 assigned “星河S7 城市通勤 30 天” to you'],
  ['due tomorrow', n('due_tomorrow', { due_on: '2026-12-08' }), '《星河S7 城市通勤 30 天》明天到期', '“星河S7 城市通勤 30 天” is due tomorrow'],
  ['overdue one day', n('overdue', { due_on: '2026-12-06', days: 1 }), '《星河S7 城市通勤 30 天》已逾期 1 天', '“星河S7 城市通勤 30 天” is 1 day overdue'],
  ['overdue several days', n('overdue', { due_on: '2026-12-01', days: 6 }), '《星河S7 城市通勤 30 天》已逾期 6 天', '“星河S7 城市通勤 30 天” is 6 days overdue'],
  ['the digest', n('overdue_digest', { day: '2026-12-07', count: 3, items: [] }, null, '2026-12-07 逾期 3 项'), '今日逾期汇总：3 项', "Today's overdue digest: 3 items"],
  ['the digest of one', n('overdue_digest', { count: 1 }, null, ''), '今日逾期汇总：1 项', "Today's overdue digest: 1 item"],
  [
    'the publish reminder',
    n('publish_reminder', { planned_at: planned }),
    `《星河S7 城市通勤 30 天》将在 1 小时后发布（${at}）`,
    `“星河S7 城市通勤 30 天” goes out in 1 hour (${at})`,
  ],
  [
    'a coordinated follow-up',
    n('wave_follow_up', { trigger_title: '星河S7 首测', trigger_account: 'chezhu_laowang', due_at: planned, order: 'KOL 首发后矩阵跟发' }),
    `协同跟发：@chezhu_laowang 的《星河S7 首测》已发布，请在 ${dayjs(planned).format('MM-DD HH:mm')} 前发出《星河S7 城市通勤 30 天》`,
    `Follow-up: @chezhu_laowang published “星河S7 首测”; post “星河S7 城市通勤 30 天” by ${dayjs(planned).format('MM-DD HH:mm')}`,
  ],
  ['a follow-up without its facts', n('wave_follow_up', {}), '协同跟发：请发出《星河S7 城市通勤 30 天》', 'Follow-up: post “星河S7 城市通勤 30 天”'],
  ['a test', n('test', {}, '李娜', 'KOX 测试通知'), '测试通知', 'Test notification'],
];

describe('notificationText', () => {
  afterAll(() => setLocale('zh-CN'));

  it.each(CASES)('%s, in Chinese', async (_, note, zh) => {
    await setLocale('zh-CN');
    expect(notificationText(note, i18n.t)).toBe(zh);
  });

  it.each(CASES)('%s, in English', async (_, note, __, en) => {
    await setLocale('en-US');
    expect(notificationText(note, i18n.t)).toBe(en);
  });

  it('covers every kind', () => {
    expect(new Set(CASES.map(([, note]) => note.kind))).toEqual(new Set(KINDS));
  });

  it('fills in what is missing rather than showing holes', async () => {
    await setLocale('zh-CN');
    expect(notificationText(n('review_requested', {}, null, ' '), i18n.t)).toBe('有人 提交了《未命名》，等待你审核');
    expect(notificationText(n('mention', { comment: '' }, '王浩然'), i18n.t)).toBe('王浩然 在《星河S7 城市通勤 30 天》的评论中提到了你');
    expect(notificationText(n('overdue', {}), i18n.t)).toBe('《星河S7 城市通勤 30 天》已逾期');
    expect(notificationText(n('publish_reminder', {}), i18n.t)).toBe('《星河S7 城市通勤 30 天》将在 1 小时后发布');
    expect(notificationText(n('overdue_digest', { items: [{}, {}] }), i18n.t)).toBe('今日逾期汇总：2 项');
    // A kind this UI does not know yet shows its title.
    expect(notificationText(n('future_kind' as N['kind']), i18n.t)).toBe('星河S7 城市通勤 30 天');
    await setLocale('en-US');
    expect(notificationText(n('review_requested', {}, null, ''), i18n.t)).toBe('Someone submitted “Untitled” for your review');
  });

  it('says how long ago in the UI language', async () => {
    await setLocale('zh-CN');
    expect(timeAgo('2026-12-07T11:57:00Z', '2026-12-07T12:00:00Z')).toBe('3 分钟前');
    await setLocale('en-US');
    expect(timeAgo('2026-12-07T11:57:00Z', '2026-12-07T12:00:00Z')).toBe('3 minutes ago');
  });
});

describe('notificationLink', () => {
  it("opens a card's drawer on the board, the overdue cards for the digest, and nothing else", () => {
    expect(notificationLink({ kind: 'mention', entity_type: 'content_item', entity_id: 42 })).toBe('/content?item=42');
    expect(notificationLink({ kind: 'overdue_digest', entity_type: null, entity_id: null })).toBe('/content?overdue=true');
    expect(notificationLink({ kind: 'test', entity_type: null, entity_id: null })).toBeNull();
    expect(notificationLink({ kind: 'assigned', entity_type: 'campaign', entity_id: 3 })).toBeNull();
  });
});

describe('English strings', () => {
  it('hold no Chinese characters but the examples of Chinese copy', () => {
    const leaves = (o: unknown, key = ''): [string, string][] =>
      typeof o === 'string' ? [[key, o]] : Object.entries(o as object).flatMap(([k, v]) => leaves(v, key ? `${key}.${k}` : k));
    const han = leaves(translations['en-US']).filter(([, v]) => /\p{Script=Han}/u.test(v));
    expect(han).toEqual([]);
  });
});
