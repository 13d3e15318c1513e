import { Button, Descriptions, Divider, Drawer, Space, Spin, Tag, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { accountApi } from './api';
import { accountKeys } from './queries';
import { eventApi } from '../events/api';
import { eventKeys } from '../events/queries';
import type { Account, CustomField, Platform } from '../../api/types';
import { useSession } from '../../auth/session';
import { AccountStatusTag, TierTag } from '../../components/tags';
import { CustomValueView } from '../../components/CustomFields';
import { useMemberNames } from '../../components/MemberSelect';
import { ActivityFeed, formatTime } from '../../components/events';
import { ErrorResult } from '../../components/ErrorResult';
import { formatFollowers } from '../../lib/numbers';
import { accountFieldLabel } from './labels';

export function AccountDetailDrawer({
  accountId,
  platforms,
  customFields,
  onClose,
  onEdit,
}: {
  accountId: number | null;
  platforms: Platform[];
  customFields: CustomField[];
  onClose: () => void;
  onEdit: (a: Account) => void;
}) {
  const { t, i18n } = useTranslation();
  const { wsId, canEditAccount } = useSession();
  const memberName = useMemberNames();
  const open = accountId !== null;

  const account = useQuery({
    queryKey: accountKeys.one(wsId, accountId ?? 0),
    queryFn: () => accountApi.get(wsId, accountId!),
    enabled: open,
  });
  const events = useQuery({
    queryKey: [...eventKeys.all(wsId), 'account', accountId],
    queryFn: () => eventApi.list(wsId, { entity_type: 'account', entity_id: accountId!, limit: 50 }),
    enabled: open,
  });

  const a = account.data;
  const platformName = (code: string) => platforms.find((p) => p.code === code)?.name ?? code;

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={520}
      title={a ? a.display_name : t('accounts:detail')}
      data-testid="account-detail"
      extra={
        a && canEditAccount(a) ? (
          <Button icon={<EditOutlined />} onClick={() => onEdit(a)}>
            {t('common.edit')}
          </Button>
        ) : null
      }
    >
      {account.isLoading && <Spin />}
      {account.isError && <ErrorResult error={account.error} onRetry={() => void account.refetch()} />}
      {a && (
        <>
          <Descriptions column={1} size="small" bordered>
            <Descriptions.Item label={t('accounts:fields.tier')}>
              <TierTag tier={a.tier} />
            </Descriptions.Item>
            <Descriptions.Item label={t('accounts:fields.platform')}>{platformName(a.platform)}</Descriptions.Item>
            <Descriptions.Item label={t('accounts:fields.handle')}>
              {a.profile_url ? (
                <Typography.Link href={a.profile_url} target="_blank" rel="noreferrer">
                  @{a.handle}
                </Typography.Link>
              ) : (
                `@${a.handle}`
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('accounts:fields.persona')}>{a.persona || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('accounts:fields.ownership')}>{t(`ownership.${a.ownership}`)}</Descriptions.Item>
            <Descriptions.Item label={t('accounts:fields.status')}>
              <AccountStatusTag status={a.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('accounts:fields.followers')}>{formatFollowers(a.followers, i18n.language)}</Descriptions.Item>
            <Descriptions.Item label={t('accounts:fields.owner_ids')}>
              {a.owner_ids.length ? a.owner_ids.map(memberName).join(t('common.listSeparator')) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('accounts:fields.tags')}>
              <Space size={[0, 4]} wrap>
                {a.tags.map((tag) => (
                  <Tag key={tag}>{tag}</Tag>
                ))}
              </Space>
            </Descriptions.Item>
            {customFields.map((f) => (
              <Descriptions.Item key={f.key} label={f.label}>
                <CustomValueView field={f} value={a.custom[f.key]} />
              </Descriptions.Item>
            ))}
            <Descriptions.Item label={t('accounts:fields.updated_at')}>{formatTime(a.updated_at)}</Descriptions.Item>
          </Descriptions>
          <Divider titlePlacement="start">{t('accounts:activity')}</Divider>
          {events.isLoading ? (
            <Spin />
          ) : (
            <ActivityFeed events={events.data?.items ?? []} fieldLabel={(k) => accountFieldLabel(t, customFields, k)} />
          )}
        </>
      )}
    </Drawer>
  );
}
