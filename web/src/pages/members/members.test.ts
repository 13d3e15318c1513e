import { describe, expect, it } from 'vitest';
import type { Member } from '../../api/types';
import { memberRows } from './members';

const m = (name: string, email: string, role: Member['role']): Member =>
  ({ user_id: name.length, name, email, role, group: 'operations', created_at: '2026-12-01T00:00:00Z' }) as Member;

describe('memberRows', () => {
  const all = [m('王浩然', 'planner@kox.demo', 'planner'), m('周明', 'admin@kox.demo', 'admin'), m('李娜', 'op@kox.demo', 'operator'), m('陈思雨', 'Editor@kox.demo', 'editor'), m('黄磊', 'hl@kox.demo', 'operator')];

  it('orders by role from admin down, then by name', () => {
    expect(memberRows(all, '').map((x) => x.name)).toEqual(['周明', '陈思雨', '王浩然', '黄磊', '李娜']);
  });

  it('finds members by a part of the name or the e-mail, in any case', () => {
    expect(memberRows(all, ' editor ').map((x) => x.name)).toEqual(['陈思雨']);
    expect(memberRows(all, '浩').map((x) => x.name)).toEqual(['王浩然']);
    expect(memberRows(all, 'nobody')).toEqual([]);
  });
});
