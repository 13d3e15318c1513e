import type { Member } from '../../api/types';
import { ROLES } from '../invitations/InviteModal';

/** Names in the order a Chinese reader expects (pinyin under zh-CN collation). */
export const byName = (a: Member, b: Member): number => a.name.localeCompare(b.name, 'zh-CN');

/** The members a search matches (name or e-mail, any case), by role from admin down, then by name. */
export function memberRows(members: readonly Member[], q: string): Member[] {
  const needle = q.trim().toLowerCase();
  return members
    .filter((m) => !needle || m.name.toLowerCase().includes(needle) || m.email.toLowerCase().includes(needle))
    .sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || byName(a, b));
}
