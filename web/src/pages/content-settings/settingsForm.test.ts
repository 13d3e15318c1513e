import { describe, expect, it } from 'vitest';
import type { ContentSettings, Stage } from '../../api/types';
import { formToSettings, settingsChanged, settingsToForm } from './settingsForm';

const defaults: Record<Stage, string> = { topic: '选题', draft: '稿件', review: '审核', publish: '发布', retro: '复盘', cancelled: '已取消' };

const stored = {
  stage_names: { ...defaults, review: '内容审核' },
  wip_limits: { review: 5 },
  approval: { mode: 'required', steps: [] },
} as ContentSettings;

describe('content settings form', () => {
  it('round-trips the stored settings', () => {
    const form = settingsToForm(stored);
    expect(form.wip_limits).toEqual({ topic: null, draft: null, review: 5, publish: null, retro: null });
    expect(form.stage_names.review).toBe('内容审核');
    expect(formToSettings(form, defaults)).toEqual(stored);
    expect(settingsChanged(stored, form, defaults)).toBe(false);
  });

  it('falls back to the default name for an emptied column and drops empty WIP limits', () => {
    const form = settingsToForm(stored);
    form.stage_names.review = '  ';
    form.stage_names.draft = ' 写稿 ';
    form.wip_limits.review = null;
    form.wip_limits.draft = 3;
    const body = formToSettings(form, defaults);
    expect(body.stage_names).toEqual({ ...defaults, draft: '写稿' });
    expect(body.wip_limits).toEqual({ draft: 3 });
    expect(settingsChanged(stored, form, defaults)).toBe(true);
  });

  it('ignores zero or fractional WIP input the way the number box would', () => {
    const form = settingsToForm(stored);
    form.wip_limits.topic = 0;
    form.wip_limits.retro = 2.7;
    expect(formToSettings(form, defaults).wip_limits).toEqual({ review: 5, retro: 2 });
  });

  it('keeps review steps only for the multi-level mode', () => {
    const form = settingsToForm(stored);
    form.approval = {
      mode: 'multi_level',
      steps: [
        { name: ' 内容中台初审 ', rule: 'any', approver_ids: [3, 4, 3] },
        { name: '总监终审', rule: 'all', approver_ids: [2] },
      ],
    };
    expect(formToSettings(form, defaults).approval).toEqual({
      mode: 'multi_level',
      steps: [
        { name: '内容中台初审', rule: 'any', approver_ids: [3, 4] },
        { name: '总监终审', rule: 'all', approver_ids: [2] },
      ],
    });
    form.approval.mode = 'optional';
    expect(formToSettings(form, defaults).approval).toEqual({ mode: 'optional', steps: [] });
  });

  it('reads multi-level steps into the form without sharing arrays', () => {
    const multi = { ...stored, approval: { mode: 'multi_level', steps: [{ name: '终审', rule: 'all', approver_ids: [1] }] } } as ContentSettings;
    const form = settingsToForm(multi);
    form.approval.steps![0].approver_ids!.push(9);
    expect(multi.approval?.steps?.[0].approver_ids).toEqual([1]);
    expect(settingsChanged(multi, form, defaults)).toBe(true);
  });
});
