import { useMemo, useState } from 'react';
import { App, Button, Card, Input, Popconfirm, Select, Table, Tag, type TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { memberApi } from './api';
import { memberKeys, useMembers } from './queries';
import { byName, memberRows } from './members';
import type { Group, Member, MemberPatch, Role } from '../../api/types';
import { GROUPS, InviteModal, ROLES } from '../invitations/InviteModal';
import { InvitationsCard } from '../invitations/InvitationsCard';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';

export default function MembersPage() {
  const { t } = useTranslation();
  const { wsId, can, me } = useSession();
  const members = useMembers(wsId);
  const [adding, setAdding] = useState(false);
  const [q, setQ] = useState('');
  const { modal } = App.useApp();
  const manage = can('members.manage');
  const rows = useMemo(() => memberRows(members.data ?? [], q), [members.data, q]);

  const update = useApiMutation({
    mutationFn: (v: { userId: number; patch: MemberPatch }) => memberApi.update(wsId, v.userId, v.patch),
    success: t('members:updated'),
    invalidate: [memberKeys.all(wsId)],
  });
  const remove = useApiMutation({
    mutationFn: (userId: number) => memberApi.remove(wsId, userId),
    success: t('members:removed'),
    invalidate: [memberKeys.all(wsId)],
  });

  const columns: TableColumnsType<Member> = [
    {
      title: t('members:fields.name'),
      dataIndex: 'name',
      sorter: (a, b) => byName(a, b),
      render: (_, m) => (
        <span>
          {m.name} {m.user_id === me.user.id && <Tag>{t('members:you')}</Tag>}
        </span>
      ),
    },
    { title: t('members:fields.email'), dataIndex: 'email' },
    {
      title: t('members:fields.role'),
      dataIndex: 'role',
      width: 170,
      sorter: (a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role),
      render: (_, m) =>
        manage ? (
          <Select<Role>
            aria-label={`${t('members:fields.role')} ${m.name}`}
            value={m.role}
            style={{ width: 150 }}
            onChange={(role) =>
              modal.confirm({
                title: t('members:roleConfirm.title'),
                content: t('members:roleConfirm.body', { name: m.name, from: t(`roles.${m.role}`), to: t(`roles.${role}`) }),
                okText: t('members:roleConfirm.ok'),
                onOk: () => update.mutateAsync({ userId: m.user_id, patch: { role } }).catch(() => undefined),
              })
            }
            options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          />
        ) : (
          t(`roles.${m.role}`)
        ),
    },
    {
      title: t('members:fields.group'),
      dataIndex: 'group',
      width: 190,
      sorter: (a, b) => GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group),
      render: (_, m) =>
        manage ? (
          <Select<Group>
            aria-label={`${t('members:fields.group')} ${m.name}`}
            value={m.group}
            style={{ width: 170 }}
            onChange={(group) => update.mutate({ userId: m.user_id, patch: { group } })}
            options={GROUPS.map((g) => ({ value: g, label: t(`groups.${g}`) }))}
          />
        ) : (
          t(`groups.${m.group}`)
        ),
    },
    {
      title: t('members:fields.created_at'),
      dataIndex: 'created_at',
      width: 160,
      sorter: (a, b) => a.created_at.localeCompare(b.created_at),
      render: (_, m) => formatTime(m.created_at),
    },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, m: Member) =>
              m.user_id === me.user.id ? null : (
                <Popconfirm title={t('members:removeConfirm', { name: m.name })} onConfirm={() => remove.mutate(m.user_id)}>
                  <Button type="link" danger size="small">
                    {t('common.remove')}
                  </Button>
                </Popconfirm>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
    <Card
      title={t('members:title')}
      extra={
        <>
          <Input.Search
            allowClear
            placeholder={t('members:search')}
            aria-label={t('members:search')}
            style={{ width: 220, marginRight: manage ? 12 : 0 }}
            onChange={(e) => setQ(e.target.value)}
            data-testid="members-search"
          />
          {manage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              {t('invitations:invite')}
            </Button>
          )}
        </>
      }
    >
      {members.isError ? (
        <ErrorResult error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <Table<Member>
          rowKey="user_id"
          size="middle"
          data-testid="members-table"
          loading={members.isLoading}
          dataSource={rows}
          columns={columns}
          pagination={false}
        />
      )}
      <InviteModal open={adding} onClose={() => setAdding(false)} />
    </Card>
    <InvitationsCard />
    </>
  );
}
