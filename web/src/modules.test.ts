import { describe, expect, it } from 'vitest';
import type { KoxModule } from './module';
import { MODULES } from './modules';
import { buildMenu } from './layout/menu';

describe('capability modules', () => {
  // The menu test pins each menu address, so together they pin every address users know.
  it('serve the public pages (sign-in, invitation links), the pages of the menu and the records under them', () => {
    const menu = buildMenu(MODULES, () => true).flatMap((n) => (n.children ?? [n]).map((c) => c.key));
    const routes = MODULES.flatMap((m) => m.routes);
    // A record's own page (/campaigns/:id) is reached from its list, so it sits under a menu
    // address and names itself in the browser tab.
    const records = routes.filter((r) => !r.public && r.path.includes('/:'));
    for (const r of records) {
      expect(menu.some((p) => r.path.startsWith(`${p}/`)), r.path).toBe(true);
      expect(r.title, r.path).toBeTruthy();
    }
    const pages = routes.filter((r) => !records.includes(r)).map((r) => r.path);
    expect(pages.sort()).toEqual(['/invite/:token', '/login', ...menu].sort());
  });

  it('open only their own pages from the menu', () => {
    for (const m of MODULES) {
      const paths = m.routes.filter((r) => !r.public).map((r) => r.path);
      for (const e of m.menu ?? []) expect(paths, `${m.name} ${e.path}`).toContain(e.path);
    }
  });

  it('are named like their folder under pages/, and every module folder is registered', () => {
    const files = import.meta.glob<Record<string, KoxModule>>('./pages/*/module.tsx', { eager: true });
    const found = Object.entries(files).flatMap(([path, exports]) => Object.values(exports).map((m) => ({ folder: path.split('/')[2], m })));
    for (const { folder, m } of found) {
      expect(m.name, folder).toBe(folder);
      expect(MODULES, folder).toContain(m);
    }
    expect(found.length).toBe(MODULES.length);
  });
});
