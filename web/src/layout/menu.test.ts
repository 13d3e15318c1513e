import { describe, expect, it } from 'vitest';
import type { Capability } from '../api/types';
import { MODULES } from '../modules';
import i18n, { setLocale } from '../i18n';
import { buildMenu, menuKeyFor, routeTitle, type MenuNode } from './menu';
import { SCHEDULE_MANAGE } from '../pages/calendar/types';

const shape = (nodes: MenuNode[]): unknown[] => nodes.map((n) => (n.children ? { [n.key]: shape(n.children) } : n.key));

const matrix = { matrix: ['/accounts', '/content', '/calendar', '/content/stats', '/overview'] };
const data = { data: ['/data/imports'] };
const settings = (audit: string[], notifications = ['/settings/notifications'], schedule = ['/settings/schedule']) => ({
  settings: [
    '/settings/workspace',
    '/settings/members',
    '/settings/fields',
    '/settings/platforms',
    '/settings/red-lines',
    '/settings/content',
    ...schedule,
    '/settings/metrics',
    ...notifications,
    ...audit,
    '/settings/profile',
    '/me/notifications',
  ],
});

describe('buildMenu', () => {
  it('puts the home page first, then the matrix pages, the campaigns, the notifications, the data and the settings in their places', () => {
    expect(shape(buildMenu(MODULES, () => true))).toEqual(['/home', matrix, '/campaigns', '/notifications', data, settings(['/settings/audit'])]);
  });

  it('shows the audit log only to members who may read it', () => {
    const can = (cap: Capability) => cap !== 'audit.read';
    expect(shape(buildMenu(MODULES, can))).toEqual(['/home', matrix, '/campaigns', '/notifications', data, settings([])]);
  });

  it('shows the schedule rules only to members who manage them; everyone has the calendar', () => {
    const can = (cap: Capability) => cap !== SCHEDULE_MANAGE;
    expect(shape(buildMenu(MODULES, can))).toEqual(['/home', matrix, '/campaigns', '/notifications', data, settings(['/settings/audit'], undefined, [])]);
  });

  it('shows the notification channels only to members who manage them; everyone has their own notifications', () => {
    const can = (cap: Capability) => cap !== 'notifications.manage';
    expect(shape(buildMenu(MODULES, can))).toEqual(['/home', matrix, '/campaigns', '/notifications', data, settings(['/settings/audit'], [])]);
  });

  it('shows the data imports and the metric definitions to every member (read-only without metrics.manage)', () => {
    const can = (cap: Capability) => cap !== 'metrics.manage' && cap !== 'metrics.write_own';
    const keys = buildMenu(MODULES, can).flatMap((n) => (n.children ?? [n]).map((c) => c.key));
    expect(keys).toContain('/data/imports');
    expect(keys).toContain('/settings/metrics');
  });
});

describe('routeTitle', () => {
  it('names every page in the browser tab, in both languages', async () => {
    for (const locale of ['zh-CN', 'en-US'] as const) {
      await setLocale(locale);
      for (const r of MODULES.flatMap((m) => m.routes)) {
        const key = routeTitle(MODULES, r);
        expect(key, r.path).toBeDefined();
        expect(i18n.exists(key!), `${r.path} ${key} ${locale}`).toBe(true);
      }
    }
    await setLocale('zh-CN');
    const members = MODULES.flatMap((m) => m.routes).find((r) => r.path === '/settings/members')!;
    expect(i18n.t(routeTitle(MODULES, members)!)).toBe('成员');
  });
});

describe('menuKeyFor', () => {
  it('selects the entry of the address, or the one a record page lies under', () => {
    const nodes = buildMenu(MODULES, () => true);
    expect(menuKeyFor(nodes, '/campaigns')).toBe('/campaigns');
    expect(menuKeyFor(nodes, '/campaigns/7')).toBe('/campaigns');
    // /content/stats is an entry of its own, not a page under /content.
    expect(menuKeyFor(nodes, '/content/stats')).toBe('/content/stats');
    expect(menuKeyFor(nodes, '/')).toBe('/home');
  });
});
