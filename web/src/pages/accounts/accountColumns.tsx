import type { CSSProperties, ReactNode } from 'react';
import { Button, Popconfirm, Space, Tag, type TableColumnsType } from 'antd';
import { EditOutlined, InboxOutlined, RollbackOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import type { Account, AccountStatus, CustomField } from '../../api/types';
import { TIER_COLORS } from '../../components/tags';
import { formatTime } from '../../components/events';
import type { ColumnDef } from '../../lib/columnPrefs';
import { formatFollowers } from '../../lib/numbers';

/*
 * The accounts table renders 50 rows of a dozen cells, so its cells are plain elements built from
 * values the page looks up once: no hooks, Tooltips or measured ellipses per cell (a native `title`
 * carries the hint). Those made a page of rows cost over a second of rendering after the data came.
 */

type Column = TableColumnsType<Account>[number];

/** Widths chosen so the default columns fit the content area at 1,440 px (about 1,120 px). */
const W = {
  account: 200,
  tier: 72,
  platform: 90,
  followers: 100,
  owner_ids: 130,
  status: 84,
  tags: 200,
  persona: 220,
  ownership: 100,
  updated_at: 150,
  custom: 140,
  actions: 140,
} as const;

/** The columns, in their default order, with what shows without a preference. */
export function accountColumnDefs(fields: readonly CustomField[], withActions: boolean): ColumnDef[] {
  return [
    { key: 'account', defaultVisible: true, pinned: 'start' },
    { key: 'tier', defaultVisible: true },
    { key: 'platform', defaultVisible: true },
    { key: 'followers', defaultVisible: true },
    { key: 'owner_ids', defaultVisible: true },
    { key: 'status', defaultVisible: true },
    { key: 'tags', defaultVisible: true },
    { key: 'persona', defaultVisible: false },
    { key: 'ownership', defaultVisible: false },
    { key: 'updated_at', defaultVisible: false },
    ...fields.map((f) => ({ key: `custom.${f.key}`, defaultVisible: false })),
    ...(withActions ? [{ key: 'actions', defaultVisible: true, pinned: 'end' as const }] : []),
  ];
}

const STATUS_COLORS: Record<AccountStatus, string> = { active: 'success', paused: 'warning', archived: 'default' };
const TAGS_SHOWN = 3;
const secondary: CSSProperties = { color: 'rgba(0,0,0,0.45)' };
const ellipsis: CSSProperties = { overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' };
const dash = <span style={secondary}>—</span>;

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** A custom value in a cell; the same reading as `CustomValueView`, without its hooks. */
function customCell(f: CustomField, v: unknown, t: TFunction, memberName: (id: number) => string): ReactNode {
  if (isEmpty(v)) return f.kind === 'checkbox' ? t('custom.no') : dash;
  switch (f.kind) {
    case 'checkbox':
      return v ? t('custom.yes') : t('custom.no');
    case 'select':
      return <Tag>{String(v)}</Tag>;
    case 'multi_select':
      return (Array.isArray(v) ? v : [v]).map((x) => <Tag key={String(x)}>{String(x)}</Tag>);
    case 'person':
      return memberName(Number(v));
    case 'url':
      return (
        <a href={String(v)} target="_blank" rel="noreferrer" onClick={(e) => e.stopPropagation()} title={String(v)}
          style={{ ...ellipsis, display: 'block' }}>
          {String(v)}
        </a>
      );
    case 'number':
      return typeof v === 'number' ? v.toLocaleString() : String(v);
    default:
      return Array.isArray(v) ? v.join(', ') : String(v);
  }
}

export interface AccountColumnContext {
  t: TFunction;
  language: string;
  platformName: (code: string) => string;
  memberName: (id: number) => string;
  fields: readonly CustomField[];
  canEdit: (a: Account) => boolean;
  onEdit: (a: Account) => void;
  onStatus: (a: Account, status: 'active' | 'archived') => void;
}

/** Every column the table can show, keyed like `accountColumnDefs`. */
export function accountColumns(c: AccountColumnContext): TableColumnsType<Account> {
  const { t } = c;
  const cols: Column[] = [
    {
      title: t('accounts:fields.account'),
      key: 'account',
      width: W.account,
      fixed: 'left',
      render: (_, a) => (
        <div title={`${a.display_name} @${a.handle}`}>
          <div style={{ ...ellipsis, fontWeight: 600 }} data-testid="account-display-name">
            {a.display_name}
          </div>
          <div style={{ ...ellipsis, ...secondary }} data-testid="account-handle">
            @{a.handle}
          </div>
        </div>
      ),
    },
    {
      title: t('accounts:fields.tier'),
      key: 'tier',
      width: W.tier,
      render: (_, a) => (
        <Tag color={TIER_COLORS[a.tier]} title={t(`tierHint.${a.tier}`)} data-testid="tier-tag">
          {t(`tier.${a.tier}`)}
        </Tag>
      ),
    },
    { title: t('accounts:fields.platform'), key: 'platform', width: W.platform, render: (_, a) => c.platformName(a.platform) },
    {
      title: t('accounts:fields.followers'),
      key: 'followers',
      width: W.followers,
      align: 'right',
      render: (_, a) => (
        <span data-testid="account-followers" title={a.followers.toLocaleString(c.language)}>
          {formatFollowers(a.followers, c.language)}
        </span>
      ),
    },
    {
      title: t('accounts:fields.owner_ids'),
      key: 'owner_ids',
      width: W.owner_ids,
      render: (_, a) => (a.owner_ids.length ? a.owner_ids.map(c.memberName).join(t('common.listSeparator')) : dash),
    },
    {
      title: t('accounts:fields.status'),
      key: 'status',
      width: W.status,
      render: (_, a) => <Tag color={STATUS_COLORS[a.status]}>{t(`accountStatus.${a.status}`)}</Tag>,
    },
    {
      title: t('accounts:fields.tags'),
      key: 'tags',
      width: W.tags,
      // A long tag list would make one row as tall as five: the first few, and how many more.
      render: (_, a) =>
        a.tags.length ? (
          <span title={a.tags.length > TAGS_SHOWN ? a.tags.join(t('common.listSeparator')) : undefined}>
            {a.tags.slice(0, TAGS_SHOWN).map((tag) => (
              <Tag key={tag}>{tag}</Tag>
            ))}
            {a.tags.length > TAGS_SHOWN && <Tag>+{a.tags.length - TAGS_SHOWN}</Tag>}
          </span>
        ) : null,
    },
    {
      title: t('accounts:fields.persona'),
      key: 'persona',
      width: W.persona,
      ellipsis: { showTitle: false },
      render: (_, a) => (a.persona ? <span title={a.persona}>{a.persona}</span> : dash),
    },
    { title: t('accounts:fields.ownership'), key: 'ownership', width: W.ownership, render: (_, a) => t(`ownership.${a.ownership}`) },
    { title: t('accounts:fields.updated_at'), key: 'updated_at', width: W.updated_at, render: (_, a) => formatTime(a.updated_at) },
    ...c.fields.map(
      (f): Column => ({
        title: f.label,
        key: `custom.${f.key}`,
        width: W.custom,
        render: (_, a) => customCell(f, a.custom[f.key], t, c.memberName),
      }),
    ),
    {
      title: t('common.actions'),
      key: 'actions',
      width: W.actions,
      fixed: 'right',
      render: (_, a) =>
        c.canEdit(a) ? (
          <Space size={0} onClick={(e) => e.stopPropagation()}>
            <Button type="link" size="small" icon={<EditOutlined />} onClick={() => c.onEdit(a)}>
              {t('common.edit')}
            </Button>
            {a.status === 'archived' ? (
              <Button type="link" size="small" icon={<RollbackOutlined />} onClick={() => c.onStatus(a, 'active')}>
                {t('accounts:restore')}
              </Button>
            ) : (
              <Popconfirm title={t('accounts:archiveConfirm', { name: a.display_name })} onConfirm={() => c.onStatus(a, 'archived')}>
                <Button type="link" size="small" danger icon={<InboxOutlined />}>
                  {t('accounts:archive')}
                </Button>
              </Popconfirm>
            )}
          </Space>
        ) : null,
    },
  ];
  return cols;
}

/** The table's width for the shown columns, so `scroll.x` matches them instead of measuring content. */
export function columnsWidth(cols: TableColumnsType<Account>): number {
  return cols.reduce((sum, col) => sum + (typeof col.width === 'number' ? col.width : 0), 0);
}
