import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AccountStatus, CampaignStatus, Tier } from '../api/types';

export const TIERS: Tier[] = ['KOL', 'KOC', 'KOE', 'KOS'];

export const TIER_COLORS: Record<Tier, string> = {
  KOL: '#d4380d',
  KOC: '#1677ff',
  KOE: '#389e0d',
  KOS: '#d48806',
};

export function TierTag({ tier }: { tier: Tier }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`tierHint.${tier}`)}>
      <Tag color={TIER_COLORS[tier]} data-testid="tier-tag">
        {t(`tier.${tier}`)}
      </Tag>
    </Tooltip>
  );
}

const ACCOUNT_STATUS_COLORS: Record<AccountStatus, string> = {
  active: 'success',
  paused: 'warning',
  archived: 'default',
};

export function AccountStatusTag({ status }: { status: AccountStatus }) {
  const { t } = useTranslation();
  return <Tag color={ACCOUNT_STATUS_COLORS[status]}>{t(`accountStatus.${status}`)}</Tag>;
}

const CAMPAIGN_STATUS_COLORS: Record<CampaignStatus, string> = {
  planned: 'blue',
  active: 'green',
  completed: 'default',
  cancelled: 'red',
};

export function CampaignStatusTag({ status }: { status: CampaignStatus }) {
  const { t } = useTranslation();
  return <Tag color={CAMPAIGN_STATUS_COLORS[status]}>{t(`campaignStatus.${status}`)}</Tag>;
}
