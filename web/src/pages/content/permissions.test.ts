import { describe, expect, it } from 'vitest';
import type { Capability } from '../../api/types';
import { canMove, canPublishItem, canWorkflow, canWriteItem, createStage, isLegalMove, isLocked } from './permissions';

const viewer = (caps: Capability[], own: number[] = []) => ({ caps, userId: 1, ownAccountIds: new Set(own) });
const director = viewer(['content.write_any', 'content.review', 'content.override', 'content.publish_any', 'content.comment']);
const editor = viewer(['content.write_draft', 'content.review', 'content.comment']);
const operator = viewer(['content.write_own', 'content.publish_own', 'content.comment'], [7]);
const viewerOnly = viewer([]);

describe('content permissions', () => {
  it('starts topics for writers, drafts for operators, nothing for viewers', () => {
    expect(createStage(director)).toBe('topic');
    expect(createStage(editor)).toBe('topic');
    expect(createStage(operator)).toBe('draft');
    expect(createStage(viewerOnly)).toBeNull();
  });

  it('lets operators write and publish only content of their own accounts', () => {
    expect(canWriteItem(operator, { stage: 'draft', account_id: 7 })).toBe(true);
    expect(canWriteItem(operator, { stage: 'draft', account_id: 8 })).toBe(false);
    expect(canPublishItem(operator, { stage: 'publish', account_id: 7 })).toBe(true);
    expect(canPublishItem(operator, { stage: 'publish', account_id: null })).toBe(false);
    expect(canWriteItem(editor, { stage: 'review', account_id: 7 })).toBe(false);
    expect(canWriteItem(editor, { stage: 'topic', account_id: null })).toBe(true);
  });

  it('locks content fields from review on', () => {
    expect(['topic', 'draft', 'review', 'publish', 'retro', 'cancelled'].map((s) => isLocked(s as never))).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
    ]);
  });

  it('follows the legal moves of the SOP', () => {
    expect(isLegalMove('topic', 'draft', 'required')).toBe(true);
    expect(isLegalMove('draft', 'publish', 'required')).toBe(false);
    expect(isLegalMove('draft', 'publish', 'optional')).toBe(true);
    expect(isLegalMove('review', 'publish', 'none')).toBe(false);
    expect(isLegalMove('publish', 'retro', 'none')).toBe(false);
    expect(isLegalMove('cancelled', 'draft', 'required')).toBe(true);
    expect(isLegalMove('review', 'review', 'required')).toBe(true);
  });

  it('limits drag and drop to what the member may do', () => {
    expect(canMove(editor, { stage: 'draft', account_id: 7 }, 'topic', 'required')).toBe(true);
    expect(canMove(editor, { stage: 'review', account_id: 7 }, 'draft', 'required')).toBe(false);
    // The hub drags only among 选题, 稿件 and 已取消; submitting is a button.
    expect(canMove(editor, { stage: 'draft', account_id: 7 }, 'review', 'required')).toBe(false);
    expect(canWorkflow(editor, { stage: 'review', account_id: 7 })).toBe(true);
    expect(canWorkflow(operator, { stage: 'retro', account_id: 8 })).toBe(false);
    expect(canMove(operator, { stage: 'draft', account_id: 7 }, 'review', 'required')).toBe(true);
    expect(canMove(operator, { stage: 'draft', account_id: 8 }, 'review', 'required')).toBe(false);
    expect(canMove(director, { stage: 'publish', account_id: 8 }, 'draft', 'required')).toBe(true);
    expect(canMove(viewerOnly, { stage: 'draft', account_id: 7 }, 'topic', 'required')).toBe(false);
  });
});
