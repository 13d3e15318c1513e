import { describe, expect, it } from 'vitest';
import type { Job, NotificationPreferences } from '../../api/types';
import { mobileValid, openIdValid, parseClock, preferencesBody, preferenceValues, quietPeriodError, toggleKind } from './preferences';
import { inboxChange } from './live';
import { mergeJobs, ruleBody, ruleValues } from './rules';

describe('quietPeriodError', () => {
  it('accepts both times or neither', () => {
    expect(quietPeriodError(null, null)).toBeNull();
    expect(quietPeriodError('', undefined)).toBeNull();
    expect(quietPeriodError('22:00', '08:00')).toBeNull();
    expect(quietPeriodError('12:00', '14:00')).toBeNull();
  });

  it('names the missing end', () => {
    expect(quietPeriodError('22:00', null)).toEqual({ field: 'quiet_until', reason: 'missing' });
    expect(quietPeriodError(null, '08:00')).toEqual({ field: 'quiet_from', reason: 'missing' });
  });

  it('refuses an empty period', () => {
    expect(quietPeriodError('08:00', '08:00')).toEqual({ field: 'quiet_until', reason: 'same' });
  });
});

describe('preferences form', () => {
  const stored: NotificationPreferences = {
    in_app: ['test', 'mention', 'review_requested'],
    email: ['review_requested'],
    quiet_from: '22:00',
    quiet_until: '08:00',
    mobile: null,
    feishu_open_id: 'ou_7d8a6e',
  };

  it('reads and writes the same preferences back', () => {
    expect(preferencesBody(preferenceValues(stored))).toEqual({ ...stored, in_app: ['review_requested', 'mention', 'test'] });
  });

  it('sends empty inputs as null and a mobile without spaces or dashes', () => {
    const v = { ...preferenceValues(stored), quiet_from: null, quiet_until: null, mobile: ' 138-0013 8000 ', feishu_open_id: ' ' };
    expect(preferencesBody(v)).toMatchObject({ quiet_from: null, quiet_until: null, mobile: '13800138000', feishu_open_id: null });
  });

  it('reads times of day', () => {
    expect(parseClock('07:05')?.format('HH:mm')).toBe('07:05');
    expect(parseClock('25:00')).toBeNull();
    expect(parseClock(null)).toBeNull();
  });

  it('toggles one kind of one way, in the order of the kinds', () => {
    const choice = { in_app: ['mention' as const], email: [] };
    expect(toggleKind(choice, 'in_app', 'review_requested', true)).toEqual({ in_app: ['review_requested', 'mention'], email: [] });
    expect(toggleKind(choice, 'in_app', 'mention', false)).toEqual({ in_app: [], email: [] });
    expect(toggleKind(choice, 'email', 'mention', true)).toEqual({ in_app: ['mention'], email: ['mention'] });
  });

  it('checks a mobile number and an open_id as the server does', () => {
    expect(mobileValid('')).toBe(true);
    expect(mobileValid('+86 138 0013 8000')).toBe(true);
    expect(mobileValid('1380')).toBe(false);
    expect(mobileValid('138abc00138')).toBe(false);
    expect(openIdValid('ou_7d8a6e')).toBe(true);
    expect(openIdValid('ou-7d8a6e')).toBe(false);
  });
});

describe('rules and jobs', () => {
  it('sends a rule with its lists in order and each once', () => {
    expect(ruleBody({ channel_id: 3, kinds: ['mention', 'review_requested'], campaign_ids: [4, 4], tiers: ['KOS', 'KOL'], account_ids: [], enabled: true })).toEqual({
      channel_id: 3,
      kinds: ['review_requested', 'mention'],
      campaign_ids: [4],
      tiers: ['KOL', 'KOS'],
      account_ids: [],
      enabled: true,
    });
    expect(ruleValues()).toMatchObject({ kinds: ['review_requested'], enabled: true });
  });

  it('merges the jobs of several states newest first', () => {
    const job = (id: number) => ({ id }) as Job;
    expect(mergeJobs([[job(3), job(1)], [job(2), job(3)]]).map((j) => j.id)).toEqual([3, 2, 1]);
  });
});

describe('inboxChange', () => {
  const ev = (id: number, entity_id: number, unread?: number) => ({
    id,
    entity_type: 'notification',
    entity_id,
    action: 'notification.created',
    after: unread === undefined ? null : { unread },
  });

  it("takes the newest unread count of the member's own events", () => {
    expect(inboxChange([ev(8, 7, 3), ev(9, 7, 4), ev(10, 2, 9)], 7)).toEqual({ unread: 4 });
    expect(inboxChange([ev(9, 7, 4), ev(8, 7, 3)], 7)).toEqual({ unread: 4 });
  });

  it('says nothing changed without such events, and asks again without a count', () => {
    expect(inboxChange([{ id: 1, entity_type: 'content_item', entity_id: 7, action: 'content.moved' }], 7)).toBeNull();
    expect(inboxChange([ev(5, 7)], 7)).toEqual({ unread: undefined });
  });
});
