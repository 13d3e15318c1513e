// Pure rules of the landing page: which blocks a role sees and what they count. No React, no
// API calls, so they are unit-tested directly.
import type { Board, ContentCard, Role, Stage } from '../../api/types';
import { dateIn } from '../../lib/timeZones';
import { OPEN_STAGES } from '../content/board';
import { writeBoardState, type BoardFilters } from '../content/urlState';

export type HomeBlock = 'board' | 'decide' | 'overdue' | 'reviewQueue' | 'myItems' | 'myAccounts' | 'matrix';

/**
 * What each role starts the day with: directors steer the whole matrix and decide reviews, the
 * content hub works the review queue, operators their own items and accounts, and the rest
 * read the overview.
 */
export function homeBlocks(role: Role): HomeBlock[] {
  switch (role) {
    case 'admin':
    case 'director':
      return ['board', 'decide', 'overdue', 'matrix'];
    case 'editor':
    case 'planner':
      return ['reviewQueue', 'board'];
    case 'operator':
      return ['myItems', 'myAccounts'];
    case 'analyst':
    case 'media':
    case 'viewer':
      return ['matrix', 'board'];
  }
}

export interface ColumnCount {
  stage: Stage;
  name: string;
  total: number;
}

/** The open columns' totals in SOP order (cancelled cards are not work to do). */
export function columnCounts(board: Board): ColumnCount[] {
  return OPEN_STAGES.flatMap((stage) => {
    const c = board.columns.find((col) => col.stage === stage);
    return c ? [{ stage, name: c.name, total: c.total }] : [];
  });
}

/** Items matching the board's filters in every open column: on a board asked with `overdue=true`, the overdue count. */
export function openTotal(board: Board): number {
  return columnCounts(board).reduce((sum, c) => sum + c.total, 0);
}

/** Cards of the open columns, as loaded (a column may hold fewer than its total). */
export function openCards(board: Board): ContentCard[] {
  return board.columns.filter((c) => c.stage !== 'cancelled').flatMap((c) => c.items);
}

/** Whether some open column has more cards than were loaded, so counts taken from cards are lower bounds. */
export function truncated(board: Board): boolean {
  return board.columns.some((c) => c.stage !== 'cancelled' && c.items.length < c.total);
}

/** Monday to Sunday (`YYYY-MM-DD`, inclusive) of the week holding `now` in the workspace's zone. */
export function weekOf(zone: string | undefined, now: Date = new Date()): { start: string; end: string } {
  const today = new Date(`${dateIn(zone, now)}T00:00:00Z`);
  const fromMonday = (today.getUTCDay() + 6) % 7;
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return { start: day(-fromMonday), end: day(6 - fromMonday) };
}

/**
 * Cards of the open columns due this week. The board has no date filter, so this counts the
 * loaded cards; `partial` says a column was cut short and the count is a lower bound.
 */
export function dueThisWeek(board: Board, week: { start: string; end: string }): { count: number; partial: boolean } {
  const count = openCards(board).filter((c) => c.due_on && c.due_on >= week.start && c.due_on <= week.end).length;
  return { count, partial: truncated(board) };
}

/**
 * The review column's cards still waiting for a decision, oldest first (ids grow with
 * creation). Cards assigned to `me` are left out: nobody reviews their own item.
 */
export function waitingForReview(board: Board, me?: number): ContentCard[] {
  const review = board.columns.find((c) => c.stage === 'review')?.items ?? [];
  return review.filter((c) => c.review_state === 'pending' && (me === undefined || c.assignee_id !== me)).sort((a, b) => a.id - b.id);
}

const stageRank = (s: Stage) => {
  const i = (OPEN_STAGES as readonly Stage[]).indexOf(s);
  return i < 0 ? OPEN_STAGES.length : i;
};

/** Earliest due date first; undated cards last; then by age. */
const byDue = (a: ContentCard, b: ContentCard) => {
  if (a.due_on !== b.due_on) {
    if (!a.due_on) return 1;
    if (!b.due_on) return -1;
    return a.due_on < b.due_on ? -1 : 1;
  }
  return a.id - b.id;
};

/** A member's own cards: overdue first, then by stage in SOP order, then by due date. */
export function myItems(board: Board): ContentCard[] {
  return openCards(board).sort((a, b) => Number(b.overdue) - Number(a.overdue) || stageRank(a.stage) - stageRank(b.stage) || byDue(a, b));
}

/** Overdue cards, the longest overdue first. */
export function overdueItems(board: Board): ContentCard[] {
  return openCards(board)
    .filter((c) => c.overdue)
    .sort(byDue);
}

/** The board's address with the card's drawer open (and the filters it was found under). */
export function boardHref(filters: BoardFilters = {}, item?: number): string {
  const q = writeBoardState({ filters, lanes: 'none', ...(item ? { item } : {}) }).toString();
  return q ? `/content?${q}` : '/content';
}
