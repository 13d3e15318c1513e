/**
 * Which columns of a table a user shows, and in what order: the pure part of the column picker.
 * The stored form is forgiving on purpose — columns come and go (custom fields are deleted, new
 * ones are added, a release adds a column), and an old preference must never hide a new column
 * nor break the table.
 */

/** A column the table can show. `pinned` columns keep their place and cannot be hidden. */
export interface ColumnDef {
  key: string;
  defaultVisible: boolean;
  pinned?: 'start' | 'end';
}

/** One column as the picker shows it, in display order. */
export interface ColumnState {
  key: string;
  visible: boolean;
  pinned?: 'start' | 'end';
}

/** What is stored: the order of the movable columns and every visibility the user has seen. */
export interface ColumnPrefs {
  order: string[];
  visible: Record<string, boolean>;
}

/** Per user and per workspace: a shared computer or a second workspace keeps its own layout. */
export function columnPrefsKey(userId: number, wsId: number, table: string): string {
  return `kox.columns.${userId}.${wsId}.${table}`;
}

/** Reads a stored preference; anything malformed counts as none. */
export function parseColumnPrefs(raw: string | null): ColumnPrefs | null {
  if (!raw) return null;
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const { order, visible } = v as { order?: unknown; visible?: unknown };
  const keys = Array.isArray(order) ? order.filter((k): k is string => typeof k === 'string') : [];
  const vis: Record<string, boolean> = {};
  if (typeof visible === 'object' && visible !== null) {
    for (const [k, b] of Object.entries(visible)) if (typeof b === 'boolean') vis[k] = b;
  }
  return { order: [...new Set(keys)], visible: vis };
}

/**
 * The columns in display order with their visibility. Pinned columns stay at their end, always
 * visible; stored keys no longer defined are dropped; a column the preference does not know yet
 * appears after its neighbour in the defaults, with its default visibility.
 */
export function resolveColumns(defs: readonly ColumnDef[], prefs: ColumnPrefs | null): ColumnState[] {
  const start = defs.filter((d) => d.pinned === 'start');
  const end = defs.filter((d) => d.pinned === 'end');
  const movable = defs.filter((d) => !d.pinned);
  const byKey = new Map(movable.map((d) => [d.key, d]));

  const ordered: ColumnDef[] = [];
  for (const k of prefs?.order ?? []) {
    const d = byKey.get(k);
    if (d && !ordered.includes(d)) ordered.push(d);
  }
  movable.forEach((d, i) => {
    if (ordered.includes(d)) return;
    // Next to the nearest earlier default column the user already has, else first.
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const prev = ordered.indexOf(movable[j]);
      if (prev >= 0) {
        at = prev + 1;
        break;
      }
    }
    ordered.splice(at, 0, d);
  });

  const state = (d: ColumnDef): ColumnState =>
    d.pinned ? { key: d.key, visible: true, pinned: d.pinned } : { key: d.key, visible: prefs?.visible[d.key] ?? d.defaultVisible };
  return [...start, ...ordered, ...end].map(state);
}

/** The preference to store for the columns as the picker now shows them. */
export function toColumnPrefs(columns: readonly ColumnState[]): ColumnPrefs {
  const movable = columns.filter((c) => !c.pinned);
  return {
    order: movable.map((c) => c.key),
    visible: Object.fromEntries(movable.map((c) => [c.key, c.visible])),
  };
}

export function setColumnVisible(columns: readonly ColumnState[], key: string, visible: boolean): ColumnState[] {
  return columns.map((c) => (c.key === key && !c.pinned ? { ...c, visible } : c));
}

/** Moves a column one place up (-1) or down (+1) among the movable ones; pinned ones never move. */
export function moveColumn(columns: readonly ColumnState[], key: string, delta: -1 | 1): ColumnState[] {
  const i = columns.findIndex((c) => c.key === key);
  const j = i + delta;
  const a = columns[i];
  const b = columns[j];
  if (!a || !b || a.pinned || b.pinned) return [...columns];
  const next = [...columns];
  next[i] = b;
  next[j] = a;
  return next;
}

/** The visible columns' keys in display order. */
export function visibleKeys(columns: readonly ColumnState[]): string[] {
  return columns.filter((c) => c.visible).map((c) => c.key);
}
