/**
 * The picker's options grouped by owner: the member's own accounts first, then each owner's (by
 * name), then accounts nobody owns. An account with two owners shows under the first.
 */
export function groupByOwner<T extends { id: number; owner_ids: number[] }>(
  accounts: readonly T[],
  me: number,
  ownerName: (id: number) => string,
): { owner: number | null; accounts: T[] }[] {
  const groups = new Map<number | null, T[]>();
  for (const a of accounts) {
    const owner = a.owner_ids.includes(me) ? me : (a.owner_ids[0] ?? null);
    groups.set(owner, [...(groups.get(owner) ?? []), a]);
  }
  const rank = (o: number | null) => (o === me ? 0 : o === null ? 2 : 1);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || (a !== null && b !== null ? ownerName(a).localeCompare(ownerName(b), 'zh-CN') : 0))
    .map(([owner, accounts]) => ({ owner, accounts }));
}
