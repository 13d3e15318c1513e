import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Card, Skeleton, Space, Table } from 'antd';
import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, usePrefetchQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { accountApi, accountQueryParams } from './api';
import { accountKeys, accountListQuery } from './queries';
import { customFieldsQuery, useCustomFields } from '../custom-fields/queries';
import { eventKeys } from '../events/queries';
import { membersQuery, useMembers } from '../members/queries';
import { platformsQuery, usePlatforms } from '../platforms/queries';
import type { Account } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { ColumnSettings, arrangeColumns, useColumnSettings } from '../../components/ColumnSettings';
import { useApiMutation } from '../../lib/useApiMutation';
import { AccountFilters } from './AccountFilters';
import { accountColumnDefs, accountColumns, columnsWidth } from './accountColumns';
import { listQueryParams, PAGE_SIZES, readListState, writeListState, type AccountListState } from './urlState';
import { AccountFormDrawer } from './AccountFormDrawer';
import { AccountDetailDrawer } from './AccountDetailDrawer';
import { ImportAccountsModal } from '../imports/ImportAccountsModal';
import { ExportButton } from '../../components/ExportButton';

const NO_ROWS: Account[] = [];
const rowClassName = () => 'kox-clickable-row';

function TableSkeleton() {
  return (
    <div data-testid="accounts-skeleton" style={{ padding: '8px 0', textAlign: 'left' }}>
      <Skeleton active title={false} paragraph={{ rows: 8, width: '100%' }} />
    </div>
  );
}

export default function AccountsPage() {
  const { t, i18n } = useTranslation();
  const { wsId, can, canEditAccount } = useSession();
  // Filters and paging live in the address bar, so a filtered list can be reloaded and shared.
  const [searchParams, setSearchParams] = useSearchParams();
  const listState = useMemo(() => readListState(searchParams), [searchParams]);
  const { filters } = listState;
  const page = { current: listState.page, pageSize: listState.pageSize };
  const listQuery = accountListQuery(wsId, listQueryParams(listState));

  // useQuery only starts fetching once the page has been committed; asking during the first render
  // sends the four requests while the page (filters, drawers) is still being built. They come
  // before the hooks below, which would otherwise have created the queries without fetching.
  usePrefetchQuery(listQuery);
  usePrefetchQuery(membersQuery(wsId));
  usePrefetchQuery(platformsQuery(wsId));
  usePrefetchQuery(customFieldsQuery(wsId, 'account'));
  const members = useMembers(wsId);
  const platforms = usePlatforms(wsId);
  const customFields = useCustomFields(wsId, 'account');
  const setListState = (next: AccountListState) => setSearchParams(writeListState(next), { replace: true });
  const [editing, setEditing] = useState<{ open: boolean; account?: Account }>({ open: false });
  const [detailId, setDetailId] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);
  const onRow = useMemo(() => (a: Account) => ({ onClick: () => setDetailId(a.id) }), []);

  const list = useQuery({ ...listQuery, placeholderData: keepPreviousData });

  const setStatus = useApiMutation({
    mutationFn: (v: { account: Account; status: 'active' | 'archived' }) =>
      accountApi.update(wsId, v.account.id, { version: v.account.version, status: v.status }),
    success: (_, v) => (v.status === 'archived' ? t('accounts:archived') : t('accounts:restored')),
    invalidate: [accountKeys.all(wsId), eventKeys.all(wsId)],
  });

  const platformName = useMemo(() => {
    const m = new Map((platforms.data ?? []).map((p) => [p.code, p.name]));
    return (code: string) => m.get(code) ?? code;
  }, [platforms.data]);
  // One lookup for the whole table (a hook per cell subscribed each cell to the members query).
  const memberName = useMemo(() => {
    const m = new Map((members.data ?? []).map((x) => [x.user_id, x.name]));
    return (id: number) => m.get(id) ?? `#${id}`;
  }, [members.data]);

  const fields = useMemo(() => customFields.data ?? [], [customFields.data]);
  const canEditSome = can('accounts.write_any') || can('accounts.write_own');

  // The handlers are read through a ref so the columns (and every row) are built once per change of
  // what they show, not on each render of the page (opening a drawer, a mutation's state).
  const handlers = useRef({ canEditAccount, edit: (a: Account) => setEditing({ open: true, account: a }), status: setStatus.mutate });
  handlers.current = { canEditAccount, edit: (a: Account) => setEditing({ open: true, account: a }), status: setStatus.mutate };

  const defs = useMemo(() => accountColumnDefs(fields, canEditSome), [fields, canEditSome]);
  const settings = useColumnSettings('accounts', defs);
  const allColumns = useMemo(
    () =>
      accountColumns({
        t,
        language: i18n.language,
        platformName,
        memberName,
        fields,
        canEdit: (a) => handlers.current.canEditAccount(a),
        onEdit: (a) => handlers.current.edit(a),
        onStatus: (account, status) => handlers.current.status({ account, status }),
      }),
    [t, i18n.language, platformName, memberName, fields],
  );
  const columns = useMemo(() => arrangeColumns(allColumns, settings.columns), [allColumns, settings.columns]);
  const titles = useMemo(() => Object.fromEntries(allColumns.map((c) => [String(c.key), c.title as ReactNode])), [allColumns]);
  // Rows are drawn once, with the names they show: each lookup arriving after them redrew every cell.
  const ready = list.data !== undefined && !members.isPending && !platforms.isPending && !customFields.isPending;
  const rows = ready ? list.data?.items : undefined;

  return (
    <Card
      title={t('accounts:title')}
      extra={
        <Space>
          <ColumnSettings value={settings} titles={titles} testId="accounts-columns" />
          <ExportButton wsId={wsId} path="accounts/export" params={accountQueryParams(filters)} fallbackName="accounts.xlsx" />
          {can('accounts.create') && (
            <>
              <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="account-import">
                {t('imports:button')}
              </Button>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid="account-new">
                {t('accounts:new')}
              </Button>
            </>
          )}
        </Space>
      }
    >
      <AccountFilters
        value={filters}
        onChange={(v) => setListState({ filters: v, page: 1, pageSize: page.pageSize })}
        platforms={platforms.data ?? []}
        customFields={fields}
      />
      {list.isError ? (
        <ErrorResult error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<Account>
          rowKey="id"
          data-testid="accounts-table"
          size="middle"
          columns={columns}
          dataSource={rows ?? NO_ROWS}
          // Before the first page arrives there is nothing to say "no data" about: a skeleton holds
          // the place, and the spinner is only for refreshing rows already shown.
          loading={list.isFetching && ready}
          locale={ready ? undefined : { emptyText: <TableSkeleton /> }}
          tableLayout="fixed"
          scroll={{ x: columnsWidth(columns) }}
          sticky
          rowClassName={rowClassName}
          onRow={onRow}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [...PAGE_SIZES],
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (current, pageSize) =>
              setListState({ filters, page: pageSize === page.pageSize ? current : 1, pageSize }),
          }}
        />
      )}
      <AccountFormDrawer
        open={editing.open}
        account={editing.account}
        platforms={platforms.data ?? []}
        customFields={fields}
        onClose={() => setEditing({ open: false })}
      />
      <ImportAccountsModal wsId={wsId} open={importing} onClose={() => setImporting(false)} />
      <AccountDetailDrawer
        accountId={detailId}
        platforms={platforms.data ?? []}
        customFields={fields}
        onClose={() => setDetailId(null)}
        onEdit={(a) => {
          setDetailId(null);
          setEditing({ open: true, account: a });
        }}
      />
    </Card>
  );
}
