import { useEffect } from 'react';
import { Alert, Button, Card, Checkbox, Col, Descriptions, Form, InputNumber, Progress, Radio, Row, Select, Skeleton, Space, Statistic, Table, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useMemberNames } from '../../components/MemberSelect';
import { TIERS } from '../../components/tags';
import { useApiMutation } from '../../lib/useApiMutation';
import { usePlatforms } from '../platforms/queries';
import { contentKeys } from '../content/queries';
import { metricsApi } from './api';
import { GRADES, ruleLabel } from './grade';
import { GradeTag } from './GradeTag';
import { gradesQuery, metricsKeys, registryQuery } from './queries';
import {
  CPM_BASES,
  DEFAULT_DEFINITIONS,
  INTERACTION_PARTS,
  RATE_BASES,
  registryBody,
  registryChanged,
  registryFormValues,
  registryProblems,
  ROI_FORMS,
  type RegistryFormValues,
} from './registryForm';
import { METRICS_MANAGE, progressPercent } from './wizard';

/** Where re-grading is after a change of the rules, and how many posts have each grade. */
function GradeStatusCard() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const grades = useQuery(gradesQuery(wsId));
  const queryClient = useQueryClient();
  const g = grades.data;
  const running = !!g && g.current < g.posts;
  // When a re-grade ends, the items' grades shown elsewhere are read again.
  useEffect(() => {
    if (g && !running) void queryClient.invalidateQueries({ queryKey: contentKeys.all(wsId) });
  }, [g, running, queryClient, wsId]);
  if (grades.isError) return <ErrorResult error={grades.error} onRetry={() => void grades.refetch()} />;
  if (!g) return <Skeleton active paragraph={{ rows: 2 }} />;
  return (
    <Card size="small" title={t('metrics:settings.status.title')} data-testid="grade-status">
      <Typography.Paragraph>
        {g.posts === 0
          ? t('metrics:settings.status.noPosts')
          : running
            ? t('metrics:settings.status.running', { current: g.current, posts: g.posts, rule: ruleLabel(g.rule_version, t) })
            : t('metrics:settings.status.done', { posts: g.posts, rule: ruleLabel(g.rule_version, t) })}
      </Typography.Paragraph>
      {g.posts > 0 && <Progress percent={progressPercent(g.current, g.posts)} status={running ? 'active' : 'success'} data-testid="grade-progress" />}
      <Space size={32} wrap style={{ marginTop: 8 }}>
        {GRADES.map((grade) => (
          <Statistic key={grade} title={<GradeTag grade={grade} />} value={g[grade.toLowerCase() as 's' | 'a' | 'b' | 'c']} />
        ))}
        <Statistic title={t('metrics:settings.status.ungraded')} value={g.ungraded} />
      </Space>
    </Card>
  );
}

/** 成员与设置 → 指标口径: what interactions are, the bases of the rates, the grade rules; re-grading. */
export default function MetricSettingsPage() {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const manage = can(METRICS_MANAGE);
  const memberName = useMemberNames();
  const platforms = usePlatforms(wsId);
  const registry = useQuery(registryQuery(wsId));
  const [form] = Form.useForm<RegistryFormValues>();

  useEffect(() => {
    if (registry.data) form.setFieldsValue(registryFormValues(registry.data.definitions));
  }, [registry.data, form]);

  const save = useApiMutation({
    mutationFn: (v: RegistryFormValues) => metricsApi.saveRegistry(wsId, registryBody(v)),
    form,
    success: (reg) =>
      reg.version === registry.data?.version ? t('metrics:settings.unchanged') : t('metrics:settings.saved', { version: reg.version }),
    onSuccess: (reg) => form.setFieldsValue(registryFormValues(reg.definitions)),
    invalidate: [metricsKeys.registry(wsId), metricsKeys.grades(wsId)],
  });
  const submit = (v: RegistryFormValues) => {
    const problems = registryProblems(v);
    if (problems.length > 0) {
      form.setFields(problems.map((p) => ({ name: p.field as never, errors: [t(p.key)] })));
      return;
    }
    save.mutate(v);
  };

  if (registry.isError) return <ErrorResult error={registry.error} onRetry={() => void registry.refetch()} />;
  if (!registry.data) return <Skeleton active paragraph={{ rows: 10 }} />;
  const reg = registry.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('metrics:settings.title')} data-testid="metric-settings">
        <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('metrics:settings.version')}>
            <span data-testid="metric-version">{reg.version > 0 ? `v${reg.version}` : t('metrics:grade.ruleDefault')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('metrics:settings.changedBy')}>{reg.created_by != null ? memberName(reg.created_by) : '—'}</Descriptions.Item>
          <Descriptions.Item label={t('metrics:settings.changedAt')}>{formatTime(reg.created_at)}</Descriptions.Item>
        </Descriptions>
        {!manage && <Alert type="info" showIcon title={t('metrics:settings.readOnly')} style={{ marginBottom: 16 }} />}
        <Form<RegistryFormValues>
          form={form}
          name="metric_definitions"
          layout="vertical"
          disabled={!manage}
          initialValues={registryFormValues(reg.definitions)}
          onFinish={submit}
        >
          <Typography.Title level={5}>{t('metrics:settings.sections.counting')}</Typography.Title>
          <Form.Item name="interactions" label={t('metrics:settings.interactions')} extra={t('metrics:settings.interactionsHelp')}>
            <Checkbox.Group options={INTERACTION_PARTS.map((p) => ({ value: p, label: t(`metrics:fields.${p}`) }))} data-testid="metric-interactions" />
          </Form.Item>
          <Row gutter={24}>
            <Col xs={24} md={8}>
              <Form.Item name="rate_base" label={t('metrics:settings.rateBase')}>
                <Radio.Group options={RATE_BASES.map((b) => ({ value: b, label: t(`metrics:rateBase.${b}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="cpm_base" label={t('metrics:settings.cpmBase')}>
                <Radio.Group options={CPM_BASES.map((b) => ({ value: b, label: t(`metrics:rateBase.${b}`) }))} />
              </Form.Item>
            </Col>
            <Col xs={24} md={8}>
              <Form.Item name="roi" label={t('metrics:settings.roi')}>
                <Radio.Group options={ROI_FORMS.map((r) => ({ value: r, label: t(`metrics:settings.roiForms.${r}`) }))} />
              </Form.Item>
            </Col>
          </Row>

          <Typography.Title level={5}>{t('metrics:settings.sections.grades')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('metrics:settings.gradesHelp')}</Typography.Paragraph>
          <Space size={16} wrap align="start">
            {(['s', 'a', 'b'] as const).map((k) => (
              <Form.Item key={k} name={['grades', k]} label={t(`metrics:settings.multiple.${k}`)} rules={[{ required: true, message: t('errors.required') }]}>
                <InputNumber min={0.1} max={1000} step={0.1} suffix={t('metrics:units.times')} style={{ width: 150 }} data-testid={`metric-grade-${k}`} />
              </Form.Item>
            ))}
            <Form.Item
              name={['grades', 'baseline_posts']}
              label={t('metrics:settings.baselinePosts')}
              rules={[{ required: true, message: t('errors.required') }]}
            >
              <InputNumber min={1} max={200} precision={0} suffix={t('metrics:units.posts')} style={{ width: 150 }} />
            </Form.Item>
            <Form.Item name={['grades', 'min_history']} label={t('metrics:settings.minHistory')} rules={[{ required: true, message: t('errors.required') }]}>
              <InputNumber min={0} max={200} precision={0} suffix={t('metrics:units.posts')} style={{ width: 150 }} />
            </Form.Item>
          </Space>

          <Typography.Title level={5}>{t('metrics:settings.sections.thresholds')}</Typography.Title>
          <Typography.Paragraph type="secondary">{t('metrics:settings.thresholdsHelp')}</Typography.Paragraph>
          <Form.List name={['grades', 'absolute']}>
            {(fields, { add, remove }) => (
              <>
                <Table
                  size="small"
                  rowKey="key"
                  pagination={false}
                  data-testid="metric-thresholds"
                  dataSource={fields}
                  locale={{ emptyText: t('metrics:settings.noThresholds') }}
                  columns={[
                    {
                      title: t('metrics:settings.tier'),
                      key: 'tier',
                      width: 160,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'tier']} noStyle>
                          <Select
                            allowClear
                            style={{ width: '100%' }}
                            placeholder={t('metrics:settings.anyTier')}
                            aria-label={t('metrics:settings.tier')}
                            options={TIERS.map((tier) => ({ value: tier, label: t(`tier.${tier}`) }))}
                          />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('metrics:settings.platform'),
                      key: 'platform',
                      width: 180,
                      render: (_, f) => (
                        <Form.Item name={[f.name, 'platform']} style={{ marginBottom: 0 }}>
                          <Select
                            allowClear
                            style={{ width: '100%' }}
                            placeholder={t('metrics:settings.anyPlatform')}
                            aria-label={t('metrics:settings.platform')}
                            options={(platforms.data ?? []).map((p) => ({ value: p.code, label: p.name }))}
                          />
                        </Form.Item>
                      ),
                    },
                    {
                      title: t('metrics:settings.threshold'),
                      key: 'interactions',
                      render: (_, f) => (
                        <Form.Item
                          name={[f.name, 'interactions']}
                          style={{ marginBottom: 0 }}
                          rules={[{ required: true, message: t('errors.required') }]}
                        >
                          <InputNumber min={1} precision={0} style={{ width: 180 }} aria-label={t('metrics:settings.threshold')} />
                        </Form.Item>
                      ),
                    },
                    {
                      title: '',
                      key: 'remove',
                      width: 48,
                      render: (_, f) => <Button type="text" icon={<DeleteOutlined />} aria-label={t('common.remove')} onClick={() => remove(f.name)} />,
                    },
                  ]}
                />
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  style={{ marginTop: 8 }}
                  onClick={() => add({ tier: null, platform: null, interactions: 10000 })}
                  data-testid="metric-threshold-add"
                >
                  {t('metrics:settings.addThreshold')}
                </Button>
              </>
            )}
          </Form.List>
          {manage && (
            <Form.Item shouldUpdate noStyle>
              {() => (
                <Space style={{ marginTop: 24, display: 'flex' }}>
                  <Button
                    type="primary"
                    htmlType="submit"
                    loading={save.isPending}
                    disabled={!registryChanged(reg.definitions, form.getFieldsValue(true) as RegistryFormValues)}
                    data-testid="metric-settings-save"
                  >
                    {t('metrics:settings.save')}
                  </Button>
                  <Button onClick={() => form.setFieldsValue(registryFormValues(DEFAULT_DEFINITIONS))}>{t('metrics:settings.defaults')}</Button>
                </Space>
              )}
            </Form.Item>
          )}
        </Form>
      </Card>
      <GradeStatusCard />
    </Space>
  );
}
