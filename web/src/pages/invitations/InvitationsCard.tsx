import { Button, Card, Popconfirm, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { invitationApi } from './api';
import { invitationKeys, useInvitations } from './queries';
import type { Invitation } from '../../api/types';
import { useSession } from '../../auth/session';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';

/** The invitations nobody has accepted yet, for those who manage members; hidden when there are none. */
export function InvitationsCard() {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const manage = can('members.manage');
  const invitations = useInvitations(wsId, manage);
  const revoke = useApiMutation({
    mutationFn: (id: number) => invitationApi.revoke(wsId, id),
    success: t('invitations:revoked'),
    invalidate: [invitationKeys.all(wsId)],
  });
  const rows = invitations.data ?? [];
  if (!manage || rows.length === 0) return null;
  const columns: TableColumnsType<Invitation> = [
    { title: t('invitations:fields.email'), dataIndex: 'email' },
    { title: t('invitations:fields.name'), dataIndex: 'name' },
    { title: t('invitations:fields.role'), dataIndex: 'role', render: (_, i) => t(`roles.${i.role}`) },
    { title: t('invitations:fields.group'), dataIndex: 'group', render: (_, i) => t(`groups.${i.group}`) },
    { title: t('invitations:fields.invited_by'), dataIndex: 'invited_by_name', render: (v: string | null | undefined) => v ?? '—' },
    { title: t('invitations:fields.expires_at'), dataIndex: 'expires_at', width: 160, render: (_, i) => formatTime(i.expires_at) },
    {
      title: t('invitations:fields.status'),
      dataIndex: 'status',
      width: 90,
      render: (_, i) => <Tag color={i.status === 'pending' ? 'processing' : 'default'}>{t(`invitations:status.${i.status}`)}</Tag>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, i) =>
        i.status === 'pending' ? (
          <Popconfirm title={t('invitations:revokeConfirm', { email: i.email })} onConfirm={() => revoke.mutate(i.id)}>
            <Button type="link" danger size="small">
              {t('invitations:revoke')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];
  return (
    <Card title={t('invitations:pendingTitle')} style={{ marginTop: 16 }}>
      <Table<Invitation> rowKey="id" size="small" data-testid="invitations-table" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} />
    </Card>
  );
}
