import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { invitationApi } from './api';
import { qk } from '../../api/queries';
import type { InvitationView, Me } from '../../api/types';
import { useApiMutation } from '../../lib/useApiMutation';

/** The invitations of the signed-in person's e-mail, each with accept and decline. */
export function PendingInvitations({ me, onJoined }: { me: Me; onJoined: (workspaceId: number) => void }) {
  const { t } = useTranslation();
  const accept = useApiMutation({
    mutationFn: (i: InvitationView) => invitationApi.accept(i.id),
    success: (_, i) => t('invitations:accepted', { workspace: i.workspace_name }),
    invalidate: [qk.me],
    onSuccess: (_, i) => onJoined(i.workspace_id),
  });
  const decline = useApiMutation({
    mutationFn: (i: InvitationView) => invitationApi.decline(i.id),
    success: t('invitations:declined'),
    invalidate: [qk.me],
  });
  if (me.invitations.length === 0) return null;
  return (
    <Space orientation="vertical" style={{ width: '100%', marginBottom: 16 }} data-testid="pending-invitations">
      {me.invitations.map((i) => {
        const vars = { inviter: i.invited_by_name, role: t(`roles.${i.role}`), workspace: i.workspace_name };
        return (
          <Alert
            key={i.id}
            type="info"
            showIcon
            title={i.invited_by_name ? t('invitations:banner', vars) : t('invitations:bannerNoInviter', vars)}
            action={
              <Space>
                <Button size="small" type="primary" loading={accept.isPending} onClick={() => accept.mutate(i)}>
                  {t('invitations:accept')}
                </Button>
                <Button size="small" loading={decline.isPending} onClick={() => decline.mutate(i)}>
                  {t('invitations:decline')}
                </Button>
              </Space>
            }
          />
        );
      })}
    </Space>
  );
}
