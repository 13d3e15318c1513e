import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Card, Popconfirm, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { EditOutlined, ImportOutlined, InboxOutlined, PlusOutlined, RollbackOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { accountApi } from './api';
import { accountKeys } from './queries';
import { useCustomFields } from '../custom-fields/queries';
import { eventKeys } from '../events/queries';
import { usePlatforms } from '../platforms/queries';
import type { Account } from '../../api/types';
import { useSession } from '../../auth/session';
import { AccountStatusTag, TierTag } from '../../components/tags';
import { CustomValueView } from '../../components/CustomFields';
import { useMemberNames } from '../../components/MemberSelect';
import { ErrorResult } from '../../components/ErrorResult';
import { useApiMutation } from '../../lib/useApiMutation';
import { formatFollowers } from '../../lib/numbers';
import { AccountFilters } from './AccountFilters';
import { PAGE_SIZES, readListState, writeListState, type AccountListState } from './urlState';
import { AccountFormDrawer } from './AccountFormDrawer';
import { AccountDetailDrawer } from './AccountDetailDrawer';
import { ImportAccountsModal } from '../imports/ImportAccountsModal';

export default function AccountsPage() {
  const { t, i18n } = useTranslation();
  const { wsId, can, canEditAccount } = useSession();
  const memberName = useMemberNames();
  const platforms = usePlatforms(wsId);
  const customFields = useCustomFields(wsId, 'account');

  // Filters and paging live in the address bar, so a filtered list can be reloaded and shared.
  const [searchParams, setSearchParams] = useSearchParams();
  const listState = useMemo(() => readListState(searchParams), [searchParams]);
  const { filters } = listState;
  const page = { current: listState.page, pageSize: listState.pageSize };
  const setListState = (next: AccountListState) => setSearchParams(writeListState(next), { replace: true });
  const [editing, setEditing] = useState<{ open: boolean; account?: Account }>({ open: false });
  const [detailId, setDetailId] = useState<number | null>(null);
  const [importing, setImporting] = useState(false);

  const params = { ...filters, limit: page.pageSize, offset: (page.current - 1) * page.pageSize };
  const list = useQuery({
    queryKey: [...accountKeys.all(wsId), 'list', params],
    queryFn: () => accountApi.list(wsId, params),
    placeholderData: keepPreviousData,
  });

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

  const fields = customFields.data ?? [];
  const canEditSome = can('accounts.write_any') || can('accounts.write_own');

  const actionsColumn: TableColumnsType<Account>[number] = {
    title: t('common.actions'),
    key: 'actions',
    width: 150,
    fixed: 'right',
    render: (_, a) =>
      canEditAccount(a) ? (
        <Space size={0} onClick={(e) => e.stopPropagation()}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ open: true, account: a })}>
            {t('common.edit')}
          </Button>
          {a.status === 'archived' ? (
            <Button
              type="link"
              size="small"
              icon={<RollbackOutlined />}
              onClick={() => setStatus.mutate({ account: a, status: 'active' })}
            >
              {t('accounts:restore')}
            </Button>
          ) : (
            <Popconfirm
              title={t('accounts:archiveConfirm', { name: a.display_name })}
              onConfirm={() => setStatus.mutate({ account: a, status: 'archived' })}
            >
              <Button type="link" size="small" danger icon={<InboxOutlined />}>
                {t('accounts:archive')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ) : null,
  };

  const columns: TableColumnsType<Account> = [
    {
      title: t('accounts:fields.tier'),
      dataIndex: 'tier',
      width: 80,
      fixed: 'left',
      render: (_, a) => <TierTag tier={a.tier} />,
    },
    { title: t('accounts:fields.platform'), dataIndex: 'platform', width: 100, render: (_, a) => platformName(a.platform) },
    {
      title: t('accounts:fields.account'),
      key: 'account',
      width: 200,
      render: (_, a) => (
        <div>
          <Typography.Text strong data-testid="account-display-name">
            {a.display_name}
          </Typography.Text>
          <br />
          <Typography.Text type="secondary" data-testid="account-handle">
            @{a.handle}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: t('accounts:fields.persona'),
      dataIndex: 'persona',
      width: 200,
      ellipsis: { showTitle: false },
      render: (_, a) => (
        <Tooltip title={a.persona} placement="topLeft">
          {a.persona || '—'}
        </Tooltip>
      ),
    },
    { title: t('accounts:fields.ownership'), dataIndex: 'ownership', width: 110, render: (_, a) => t(`ownership.${a.ownership}`) },
    {
      title: t('accounts:fields.owner_ids'),
      dataIndex: 'owner_ids',
      width: 130,
      render: (_, a) => (a.owner_ids.length ? a.owner_ids.map(memberName).join(t('common.listSeparator')) : '—'),
    },
    {
      title: t('accounts:fields.followers'),
      dataIndex: 'followers',
      width: 100,
      align: 'right',
      render: (_, a) => (
        <Tooltip title={a.followers.toLocaleString()}>
          <span data-testid="account-followers">{formatFollowers(a.followers, i18n.language)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('accounts:fields.tags'),
      dataIndex: 'tags',
      width: 180,
      render: (_, a) => (
        <Space size={[0, 4]} wrap>
          {a.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('accounts:fields.status'), dataIndex: 'status', width: 90, render: (_, a) => <AccountStatusTag status={a.status} /> },
    ...fields.map(
      (f): TableColumnsType<Account>[number] => ({
        title: f.label,
        key: `custom.${f.key}`,
        width: 140,
        render: (_, a) => <CustomValueView field={f} value={a.custom[f.key]} />,
      }),
    ),
    ...(canEditSome ? [actionsColumn] : []),
  ];

  return (
    <Card
      title={t('accounts:title')}
      extra={
        can('accounts.create') && (
          <Space>
            <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="account-import">
              {t('imports:button')}
            </Button>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })} data-testid="account-new">
              {t('accounts:new')}
            </Button>
          </Space>
        )
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
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 'max-content' }}
          rowClassName={() => 'kox-clickable-row'}
          onRow={(a) => ({ onClick: () => setDetailId(a.id) })}
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
