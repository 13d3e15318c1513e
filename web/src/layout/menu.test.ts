import { describe, expect, it } from 'vitest';
import type { Capability } from '../api/types';
import { MODULES } from '../modules';
import { buildMenu, type MenuNode } from './menu';

const shape = (nodes: MenuNode[]): unknown[] => nodes.map((n) => (n.children ? { [n.key]: shape(n.children) } : n.key));

const matrix = { matrix: ['/accounts', '/content', '/content/stats', '/overview'] };
const settings = (audit: string[]) => ({
  settings: [
    '/settings/workspace',
    '/settings/members',
    '/settings/fields',
    '/settings/platforms',
    '/settings/red-lines',
    '/settings/content',
    ...audit,
    '/settings/profile',
  ],
});

describe('buildMenu', () => {
  it('puts the matrix pages, the campaigns and the settings in their places', () => {
    expect(shape(buildMenu(MODULES, () => true))).toEqual([matrix, '/campaigns', settings(['/settings/audit'])]);
  });

  it('shows the audit log only to members who may read it', () => {
    const can = (cap: Capability) => cap !== 'audit.read';
    expect(shape(buildMenu(MODULES, can))).toEqual([matrix, '/campaigns', settings([])]);
  });
});
