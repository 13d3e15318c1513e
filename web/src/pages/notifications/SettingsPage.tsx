import type { ReactNode } from 'react';
import { Card, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ChannelsTab } from './ChannelsTab';
import { DeliveriesTab } from './DeliveriesTab';
import { JobsTab } from './JobsTab';
import { RulesTab } from './RulesTab';

const TABS = ['channels', 'rules', 'deliveries', 'jobs'] as const;
type Tab = (typeof TABS)[number];

/** Settings → 通知 (admins): channels, the rules that route to them, the delivery log, the job queue. */
export default function NotificationSettingsPage() {
  const { t } = useTranslation();
  // The open tab lives in the address bar, so a reload or a shared link opens it again.
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'channels';
  const content: Record<Tab, ReactNode> = {
    channels: <ChannelsTab />,
    rules: <RulesTab />,
    deliveries: <DeliveriesTab />,
    jobs: <JobsTab />,
  };

  return (
    <Card title={t('notifications:settings.title')}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'channels' ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={TABS.map((key) => ({ key, label: t(`notifications:settings.tabs.${key}`), children: content[key] }))}
      />
    </Card>
  );
}
