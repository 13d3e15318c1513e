import { describe, expect, it } from 'vitest';
import { groupByOwner } from './accountGroups';

const names: Record<number, string> = { 1: '李娜', 2: '黄磊', 3: '王浩然' };
const name = (id: number) => names[id] ?? `#${id}`;

describe('groupByOwner', () => {
  it('puts my accounts first, then each owner by name, then accounts nobody owns', () => {
    const accounts = [
      { id: 10, owner_ids: [3] },
      { id: 11, owner_ids: [] },
      { id: 12, owner_ids: [2, 1] },
      { id: 13, owner_ids: [1] },
      { id: 14, owner_ids: [2] },
    ];
    const groups = groupByOwner(accounts, 1, name).map((g) => [g.owner, g.accounts.map((a) => a.id)]);
    // An account I share with someone else is mine; 黄 (huang) sorts before 王 (wang).
    expect(groups).toEqual([
      [1, [12, 13]],
      [2, [14]],
      [3, [10]],
      [null, [11]],
    ]);
  });
});
