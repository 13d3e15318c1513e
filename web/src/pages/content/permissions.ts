// Which buttons a member sees on the content board. The server decides; these only hide what
// would certainly be refused (capabilities as listed in the API contract).
import type { ApprovalMode, Capability, Stage } from '../../api/types';

export interface Viewer {
  caps: readonly Capability[];
  userId: number;
  /** Accounts the member owns (operators write only content of these). */
  ownAccountIds: ReadonlySet<number>;
}

type ItemLike = { stage: Stage; account_id?: number | null };

const has = (v: Viewer, cap: Capability) => v.caps.includes(cap);
const owns = (v: Viewer, item: ItemLike) => item.account_id !== null && item.account_id !== undefined && v.ownAccountIds.has(item.account_id);

/** May create content at all, and which stage a new card starts in. */
export function createStage(v: Viewer): 'topic' | 'draft' | null {
  if (has(v, 'content.write_any') || has(v, 'content.write_draft')) return 'topic';
  if (has(v, 'content.write_own')) return 'draft';
  return null;
}

/** May edit the item's fields (content fields are locked in review/publish/retro on top of this). */
export function canWriteItem(v: Viewer, item: ItemLike): boolean {
  if (has(v, 'content.write_any')) return true;
  if (has(v, 'content.write_draft') && (item.stage === 'topic' || item.stage === 'draft')) return true;
  return has(v, 'content.write_own') && owns(v, item);
}

export function canPublishItem(v: Viewer, item: ItemLike): boolean {
  return has(v, 'content.publish_any') || (has(v, 'content.publish_own') && owns(v, item));
}

/** Content fields are frozen while an item is in review, waiting to be posted, or posted. */
export function isLocked(stage: Stage): boolean {
  return stage === 'review' || stage === 'publish' || stage === 'retro';
}

/** Moves the board allows by drag and drop (review→publish and publish→retro need their own steps). */
export function isLegalMove(from: Stage, to: Stage, mode: ApprovalMode | undefined): boolean {
  if (from === to) return from !== 'cancelled';
  switch (from) {
    case 'topic':
      return to === 'draft' || to === 'cancelled';
    case 'draft':
      return to === 'topic' || to === 'review' || to === 'cancelled' || (to === 'publish' && (mode === 'none' || mode === 'optional'));
    case 'review':
      return to === 'draft' || to === 'cancelled';
    case 'publish':
      return to === 'draft' || to === 'cancelled';
    case 'retro':
      return to === 'cancelled';
    case 'cancelled':
      return to === 'topic' || to === 'draft';
    default:
      return false;
  }
}

/** Stages the content hub (editors, planners) works in. */
const hubStage = (s: Stage) => s === 'topic' || s === 'draft' || s === 'cancelled';

/** May drag this card to `to`: a legal move the member's capabilities cover. */
export function canMove(v: Viewer, item: ItemLike, to: Stage, mode: ApprovalMode | undefined): boolean {
  if (!isLegalMove(item.stage, to, mode)) return false;
  if (has(v, 'content.write_any')) return true;
  if (has(v, 'content.write_draft') && hubStage(item.stage) && hubStage(to)) return true;
  return has(v, 'content.write_own') && owns(v, item);
}

/** May submit, withdraw or write the retro of this item (the hub for any item, operators for their own). */
export function canWorkflow(v: Viewer, item: ItemLike): boolean {
  return has(v, 'content.write_any') || has(v, 'content.write_draft') || (has(v, 'content.write_own') && owns(v, item));
}

/** Approval modes where a draft may go to 发布 without review. */
export function maySkipReview(mode: ApprovalMode | undefined): boolean {
  return mode === 'none' || mode === 'optional';
}
