import type { ReactNode } from 'react';
import { Card, Result, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { HolidaysTab } from './HolidaysTab';
import { RulesTab } from './RulesTab';
import { SlotsTab } from './SlotsTab';
import { SCHEDULE_MANAGE } from './types';

const TABS = ['rules', 'slots', 'holidays'] as const;
type Tab = (typeof TABS)[number];

/** 成员与设置 → 排期规则 (directors and admins): the conflict rules, recurring slots and holidays. */
export default function ScheduleSettingsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  // The open tab lives in the address bar, so a reload or a shared link opens it again.
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '') ? (params.get('tab') as Tab) : 'rules';
  if (!can(SCHEDULE_MANAGE)) return <Result status="403" title={t('calendar:settings.title')} subTitle={t('calendar:settings.forbidden')} />;
  const content: Record<Tab, ReactNode> = { rules: <RulesTab />, slots: <SlotsTab />, holidays: <HolidaysTab /> };
  return (
    <Card title={t('calendar:settings.title')} data-testid="schedule-settings">
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'rules' ? {} : { tab: key }, { replace: true })}
        destroyOnHidden
        items={TABS.map((key) => ({ key, label: t(`calendar:settings.tabs.${key}`), children: content[key] }))}
      />
    </Card>
  );
}
