import { useEffect, useState } from 'react';
import { Alert, Button, DatePicker, Empty, Form, Input, Popconfirm, Select, Skeleton, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { useApiMutation } from '../../lib/useApiMutation';
import { dateIn } from '../../lib/timeZones';
import { calendarApi } from './api';
import { calendarKeys, holidaysQuery } from './queries';
import { holidayDays, holidayProblems, holidayRows, type HolidayRow } from './settingsForms';
import type { HolidayKind } from './types';

const KINDS: HolidayKind[] = ['holiday', 'workday'];
const SOURCE_COLORS = { default: 'blue', custom: 'gold', none: 'default' } as const;

/** 法定节假日与调休, one year at a time: the shipped days, edited or replaced per workspace. */
export function HolidaysTab() {
  const { t } = useTranslation();
  const { wsId, workspace } = useSession();
  const thisYear = Number(dateIn(workspace.time_zone).slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const holidays = useQuery(holidaysQuery(wsId, year));
  const [form] = Form.useForm<{ rows: HolidayRow[] }>();
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (holidays.data) form.setFieldsValue({ rows: holidayRows(holidays.data.days) });
    setProblem(null);
  }, [holidays.data, form]);

  const invalidate = [calendarKeys.holidays(wsId), calendarKeys.shown(wsId)];
  const save = useApiMutation({
    mutationFn: (rows: HolidayRow[]) => calendarApi.saveHolidays(wsId, year, holidayDays(rows)),
    success: t('calendar:holidays.saved', { year }),
    invalidate,
  });
  const reset = useApiMutation({
    mutationFn: () => calendarApi.resetHolidays(wsId, year),
    success: t('calendar:holidays.resetDone', { year }),
    invalidate,
  });

  const submit = ({ rows }: { rows: HolidayRow[] }) => {
    const days = holidayDays(rows ?? []);
    const { outside, twice } = holidayProblems(year, days);
    if (outside.length) return setProblem(t('calendar:holidays.outside', { year, days: outside.join(t('common.listSeparator')) }));
    if (twice.length) return setProblem(t('calendar:holidays.twice', { days: twice.join(t('common.listSeparator')) }));
    setProblem(null);
    save.mutate(rows ?? []);
  };

  const years = [thisYear - 1, thisYear, thisYear + 1, thisYear + 2];
  return (
    <div data-testid="holidays-tab">
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          aria-label={t('calendar:holidays.year')}
          value={year}
          onChange={setYear}
          style={{ width: 120 }}
          options={years.map((y) => ({ value: y, label: t('calendar:holidays.yearLabel', { year: y }) }))}
          data-testid="holidays-year"
        />
        {holidays.data && <Tag color={SOURCE_COLORS[holidays.data.source]}>{t(`calendar:holidays.source.${holidays.data.source}`)}</Tag>}
        <Typography.Text type="secondary">{t('calendar:holidays.intro')}</Typography.Text>
      </Space>
      {holidays.isError ? (
        <ErrorResult error={holidays.error} onRetry={() => void holidays.refetch()} />
      ) : !holidays.data ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : (
        <Form form={form} name="holidays" onFinish={submit} initialValues={{ rows: holidayRows(holidays.data.days) }}>
          {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} data-testid="holidays-problem" />}
          <Form.List name="rows">
            {(fields, { add, remove }) => (
              <>
                {fields.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar:holidays.empty', { year })} />}
                {fields.map((f) => (
                  <Space key={f.key} wrap align="start" data-testid="holiday-row">
                    <Form.Item name={[f.name, 'date']} rules={[{ required: true, message: t('calendar:holidays.validation.date') }]}>
                      <DatePicker
                        aria-label={t('calendar:holidays.fields.date')}
                        minDate={dayjs(`${year}-01-01`)}
                        maxDate={dayjs(`${year}-12-31`)}
                        defaultPickerValue={dayjs(`${year}-01-01`)}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('calendar:holidays.validation.name') }]}>
                      <Input aria-label={t('calendar:holidays.fields.name')} placeholder={t('calendar:holidays.namePlaceholder')} maxLength={50} style={{ width: 180 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'kind']}>
                      <Select
                        aria-label={t('calendar:holidays.fields.kind')}
                        style={{ width: 140 }}
                        options={KINDS.map((k) => ({ value: k, label: t(`calendar:holidays.kinds.${k}`) }))}
                      />
                    </Form.Item>
                    <Button type="text" icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <div>
                  <Button icon={<PlusOutlined />} onClick={() => add({ date: null, name: '', kind: 'holiday' })} data-testid="holiday-add">
                    {t('calendar:holidays.add')}
                  </Button>
                </div>
              </>
            )}
          </Form.List>
          <Space style={{ marginTop: 16 }}>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="holidays-save">
              {t('common.save')}
            </Button>
            <Popconfirm title={t('calendar:holidays.resetConfirm', { year })} onConfirm={() => reset.mutate()}>
              <Button loading={reset.isPending} data-testid="holidays-reset">
                {t('calendar:holidays.reset')}
              </Button>
            </Popconfirm>
          </Space>
        </Form>
      )}
    </div>
  );
}
