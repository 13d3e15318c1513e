import { describe, expect, it } from 'vitest';
import type { CustomField } from '../../api/types';
import { resolveColumns } from '../../lib/columnPrefs';
import { campaignColumnDefs } from './listColumns';

const field = (key: string, kind: CustomField['kind']) => ({ key, kind, label: key, options: [], required: false }) as unknown as CustomField;

describe('campaign table columns', () => {
  it('show the owner by default and leave other custom fields and the KPIs to the picker', () => {
    const cases: [CustomField[], boolean, string[]][] = [
      [[field('owner', 'person'), field('region', 'select')], true, ['name', 'status', 'period', 'budget', 'hashtags', 'custom.owner', 'updated_at', 'actions']],
      [[], false, ['name', 'status', 'period', 'budget', 'hashtags', 'updated_at']],
    ];
    for (const [fields, actions, shown] of cases) {
      const cols = resolveColumns(campaignColumnDefs(fields, actions), null);
      expect(cols.filter((c) => c.visible).map((c) => c.key)).toEqual(shown);
      expect(cols.map((c) => c.key)).toContain('target_kpis');
    }
  });
});
