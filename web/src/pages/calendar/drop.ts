// Where a dragged item lands: the moment a drop target stands for. Pure.
import { timeOfDay, zonedParts, zonedToUtc } from './time';

/** What an item can be dropped on. */
export type DropTarget =
  /** a day of the month or timeline, or a day's head in the week and day views */
  | { kind: 'day'; date: string; accountId?: number | null }
  /** one hour row of a day (week and day views) */
  | { kind: 'hour'; date: string; hour: number }
  /** an open occurrence of a recurring slot: its exact time */
  | { kind: 'slot'; at: string };

/** A backlog item dropped on a day without a time of its own lands at this hour. */
export const DEFAULT_TIME = '10:00';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * The planned time a drop gives the item: a slot's own time; a day keeps the item's time of day
 * there (10:00 for an item from the backlog); an hour row keeps the item's minutes.
 */
export function dropTime(target: DropTarget, item: { at?: string | null }, zone: string): string {
  switch (target.kind) {
    case 'slot':
      return new Date(Date.parse(target.at)).toISOString().replace('.000Z', 'Z');
    case 'day':
      return zonedToUtc(target.date, item.at ? timeOfDay(item.at, zone) : DEFAULT_TIME, zone);
    case 'hour': {
      const minute = item.at ? zonedParts(item.at, zone).minute : 0;
      return zonedToUtc(target.date, `${pad(target.hour)}:${pad(minute)}`, zone);
    }
  }
}

/** Whether a drop changes nothing (the same moment as now). */
export function sameMoment(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return Date.parse(a) === Date.parse(b);
}

/** Why an item may not be dropped on a target, or null when it may. */
export function dropRefusal(
  item: { may_schedule: boolean; published_at?: string | null; account_id?: number | null },
  target: DropTarget,
): 'not_allowed' | 'published' | 'other_account' | null {
  if (!item.may_schedule) return 'not_allowed';
  if (item.published_at) return 'published';
  // A timeline row is one account: a drop there moves the day, never the account.
  if (target.kind === 'day' && target.accountId !== undefined && (target.accountId ?? null) !== (item.account_id ?? null)) return 'other_account';
  return null;
}
