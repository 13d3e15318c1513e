import type { CustomField } from '../../api/types';
import type { ColumnDef } from '../../lib/columnPrefs';

/**
 * What the column picker offers. The defaults fit 1,440 px: hashtags, embargo and the owner (a
 * person field such as 战役负责人) on screen; other custom fields and the KPIs on request.
 */
export function campaignColumnDefs(fields: readonly CustomField[], withActions: boolean): ColumnDef[] {
  return [
    { key: 'name', defaultVisible: true, pinned: 'start' },
    { key: 'status', defaultVisible: true },
    { key: 'period', defaultVisible: true },
    { key: 'budget', defaultVisible: true },
    { key: 'hashtags', defaultVisible: true },
    ...fields.map((f) => ({ key: `custom.${f.key}`, defaultVisible: f.kind === 'person' })),
    { key: 'updated_at', defaultVisible: true },
    { key: 'target_kpis', defaultVisible: false },
    ...(withActions ? [{ key: 'actions', defaultVisible: true, pinned: 'end' as const }] : []),
  ];
}
