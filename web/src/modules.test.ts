import { describe, expect, it } from 'vitest';
import type { KoxModule } from './module';
import { MODULES } from './modules';

describe('capability modules', () => {
  it('serve the addresses users already know', () => {
    expect(MODULES.flatMap((m) => m.routes.map((r) => r.path)).sort()).toEqual(
      [
        '/login',
        '/accounts',
        '/overview',
        '/content',
        '/content/stats',
        '/campaigns',
        '/settings/workspace',
        '/settings/members',
        '/settings/fields',
        '/settings/platforms',
        '/settings/red-lines',
        '/settings/content',
        '/settings/audit',
        '/settings/profile',
      ].sort(),
    );
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
