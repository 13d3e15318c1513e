import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Button, Checkbox, Popover, Space, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PushpinOutlined, SettingOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import {
  columnPrefsKey,
  moveColumn,
  parseColumnPrefs,
  resolveColumns,
  setColumnVisible,
  toColumnPrefs,
  type ColumnDef,
  type ColumnPrefs,
  type ColumnState,
} from '../lib/columnPrefs';

function readPrefs(key: string): ColumnPrefs | null {
  try {
    return parseColumnPrefs(localStorage.getItem(key));
  } catch {
    return null;
  }
}

function writePrefs(key: string, prefs: ColumnPrefs | null): void {
  try {
    if (prefs) localStorage.setItem(key, JSON.stringify(prefs));
    else localStorage.removeItem(key);
  } catch {
    /* storage unavailable: the choice lasts until the page is left */
  }
}

export interface ColumnSettingsValue {
  /** Every column in display order, hidden ones included. */
  columns: ColumnState[];
  /** Stores a new arrangement; `null` goes back to the defaults. */
  update: (next: ColumnState[] | null) => void;
}

/**
 * The signed-in user's arrangement of one table in the current workspace, remembered in this
 * browser. `defs` must keep its identity between renders (memoise it), or the table's columns are
 * rebuilt on every render.
 */
export function useColumnSettings(table: string, defs: readonly ColumnDef[]): ColumnSettingsValue {
  const { me, wsId } = useSession();
  const storageKey = columnPrefsKey(me.user.id, wsId, table);
  const [stored, setStored] = useState(() => ({ key: storageKey, prefs: readPrefs(storageKey) }));
  if (stored.key !== storageKey) setStored({ key: storageKey, prefs: readPrefs(storageKey) });
  const prefs = stored.prefs;
  const columns = useMemo(() => resolveColumns(defs, prefs), [defs, prefs]);
  const update = useCallback(
    (next: ColumnState[] | null) => {
      const p = next && toColumnPrefs(next);
      writePrefs(storageKey, p);
      setStored({ key: storageKey, prefs: p });
    },
    [storageKey],
  );
  return { columns, update };
}

/** Orders a table's columns as the user arranged them and drops the hidden ones. */
export function arrangeColumns<C extends { key?: unknown }>(all: readonly C[], columns: readonly ColumnState[]): C[] {
  const byKey = new Map(all.map((c) => [String(c.key), c]));
  return columns.flatMap((s) => {
    const c = s.visible ? byKey.get(s.key) : undefined;
    return c ? [c] : [];
  });
}

/**
 * 列设置: a button opening the list of a table's columns, where the user shows, hides and orders
 * them. Pinned columns (the name first, the actions last) are listed but cannot change.
 */
export function ColumnSettings({
  value,
  titles,
  testId = 'column-settings',
}: {
  value: ColumnSettingsValue;
  /** The header each column shows, by key. */
  titles: Record<string, ReactNode>;
  testId?: string;
}) {
  const { t } = useTranslation();
  const { columns, update } = value;
  const first = columns.findIndex((c) => !c.pinned);
  const last = columns.length - 1 - [...columns].reverse().findIndex((c) => !c.pinned);

  const panel = (
    <div data-testid={`${testId}-panel`} style={{ width: 280 }}>
      <div style={{ maxHeight: 420, overflowY: 'auto' }}>
        {columns.map((c, i) => {
          const title = titles[c.key] ?? c.key;
          const label = typeof title === 'string' ? title : c.key;
          return (
            <div
              key={c.key}
              data-testid={`${testId}-item`}
              data-key={c.key}
              style={{ display: 'flex', alignItems: 'center', gap: 4, padding: '2px 0' }}
            >
              <Checkbox
                checked={c.visible}
                disabled={!!c.pinned}
                onChange={(e) => update(setColumnVisible(columns, c.key, e.target.checked))}
                style={{ flex: 1, minWidth: 0 }}
              >
                <Typography.Text ellipsis style={{ maxWidth: 170 }}>
                  {title}
                </Typography.Text>
              </Checkbox>
              {c.pinned ? (
                <Tooltip title={t('columns.pinned')}>
                  <PushpinOutlined aria-label={t('columns.pinned')} style={{ color: 'rgba(0,0,0,0.45)', padding: '0 8px' }} />
                </Tooltip>
              ) : (
                <Space.Compact size="small">
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowUpOutlined />}
                    aria-label={t('columns.moveUp', { name: label })}
                    disabled={i <= first}
                    onClick={() => update(moveColumn(columns, c.key, -1))}
                  />
                  <Button
                    size="small"
                    type="text"
                    icon={<ArrowDownOutlined />}
                    aria-label={t('columns.moveDown', { name: label })}
                    disabled={i >= last}
                    onClick={() => update(moveColumn(columns, c.key, 1))}
                  />
                </Space.Compact>
              )}
            </div>
          );
        })}
      </div>
      <div style={{ borderTop: '1px solid rgba(5,5,5,0.06)', marginTop: 8, paddingTop: 8, textAlign: 'right' }}>
        <Button size="small" onClick={() => update(null)} data-testid={`${testId}-reset`}>
          {t('columns.reset')}
        </Button>
      </div>
    </div>
  );

  return (
    <Popover trigger="click" placement="bottomRight" title={t('columns.title')} content={panel}>
      <Button icon={<SettingOutlined />} data-testid={testId}>
        {t('columns.button')}
      </Button>
    </Popover>
  );
}
