import type { ReactNode } from 'react';
import { ApartmentOutlined, DatabaseOutlined, SettingOutlined } from '@ant-design/icons';
import type { Capability } from '../api/types';
import type { KoxModule, MenuGroup, ModuleRoute } from '../module';

/** The submenus, placed on the same scale as the top-level entries of the modules. */
export const MENU_GROUPS: Record<MenuGroup, { icon: ReactNode; label: string; order: number }> = {
  matrix: { icon: <ApartmentOutlined />, label: 'nav.matrix', order: 10 },
  // After the campaigns (20) and the notifications (25).
  data: { icon: <DatabaseOutlined />, label: 'nav.data', order: 27 },
  settings: { icon: <SettingOutlined />, label: 'nav.settings', order: 30 },
};

export interface MenuNode {
  /** an address for a page, the group name for a submenu */
  key: string;
  icon: ReactNode;
  /** translation key */
  label: string;
  children?: MenuNode[];
}

const byOrder = <T extends { order: number }>(a: T, b: T) => a.order - b.order;

/** The side menu of a member: the modules' entries they may see, grouped and ordered. */
export function buildMenu(modules: readonly KoxModule[], can: (cap: Capability) => boolean): MenuNode[] {
  const entries = modules.flatMap((m) => m.menu ?? []).filter((e) => !e.capability || can(e.capability));
  const top = entries.filter((e) => !e.group).map((e) => ({ order: e.order, node: { key: e.path, icon: e.icon, label: e.label } as MenuNode }));
  const groups = (Object.keys(MENU_GROUPS) as MenuGroup[]).flatMap((g) => {
    const children = entries.filter((e) => e.group === g).sort(byOrder).map((e) => ({ key: e.path, icon: e.icon, label: e.label }));
    return children.length === 0 ? [] : [{ order: MENU_GROUPS[g].order, node: { key: g, icon: MENU_GROUPS[g].icon, label: MENU_GROUPS[g].label, children } }];
  });
  return [...top, ...groups].sort(byOrder).map((x) => x.node);
}

/** The translation key naming a route in the browser tab: its own title, else the label of the menu entry at its path. */
export function routeTitle(modules: readonly KoxModule[], route: ModuleRoute): string | undefined {
  return route.title ?? modules.flatMap((m) => m.menu ?? []).find((e) => e.path === route.path)?.label;
}

/** The menu entry an address belongs to: the entry at that address, else the longest entry
 * it lies under (a campaign's page /campaigns/7 belongs to 战役). */
export function menuKeyFor(nodes: readonly MenuNode[], pathname: string): string {
  const path = pathname.replace(/\/+$/, '') || '/home';
  const keys = nodes.flatMap((n) => (n.children ?? [n]).map((c) => c.key));
  if (keys.includes(path)) return path;
  return keys.filter((k) => path.startsWith(`${k}/`)).sort((a, b) => b.length - a.length)[0] ?? path;
}
