import { useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contentApi } from '../content/api';
import { contentKeys } from '../content/queries';
import { redLineApi } from './api';
import { redLineKeys, useRedLines } from './queries';
import type { ContentChecks, RedLine, RedLineSeverity } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { describeError } from '../../lib/errors';
import { useApiMutation } from '../../lib/useApiMutation';
import { charCount } from './highlight';
import { HighlightedText } from './HighlightedText';
import { filterRedLines, lineControls, redLineInput, redLinePatch, redLineValues, SEVERITIES, type RedLineValues } from './redLines';
import { redLineNote } from '../../lib/builtinNames';

export const PHRASE_MAX = 50;
export const NOTE_MAX = 200;

export const SEVERITY_COLORS: Record<RedLineSeverity, string> = { block: 'red', warn: 'orange' };

export function SeverityTag({ severity }: { severity: RedLineSeverity }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`red-lines:severityHint.${severity}`)}>
      <Tag color={SEVERITY_COLORS[severity]}>{t(`severity.${severity}`)}</Tag>
    </Tooltip>
  );
}

// Cards carry their red-line hits, so the board goes stale with the list.
const redLinesChanged = (w: number) => [redLineKeys.all(w), contentKeys.all(w)];

function RedLineModal({ row, open, onClose }: { row?: RedLine; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [form] = Form.useForm<RedLineValues>();
  // Without red_lines.loosen an enabled line can only be tightened: the server says which controls.
  const controls = lineControls(row);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(redLineValues(row));
  }, [open, row, form]);

  const save = useApiMutation({
    mutationFn: async (v: RedLineValues) => {
      if (!row) return redLineApi.create(wsId, redLineInput(v));
      const patch = redLinePatch(row, v);
      return Object.keys(patch).length > 0 ? redLineApi.update(wsId, row.id, patch) : row;
    },
    form,
    // `exceptions.2` points at one tag of the exceptions input.
    mapField: (field) => field.replace(/^exceptions\.\d+$/, 'exceptions'),
    success: row ? t('red-lines:saved') : t('red-lines:created'),
    invalidate: redLinesChanged(wsId),
    onSuccess: onClose,
  });

  return (
    <Modal
      open={open}
      title={row ? t('red-lines:edit') : t('red-lines:add')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {controls.limited && <Alert type="info" showIcon title={t('red-lines:loosenHint')} style={{ marginBottom: 16 }} data-testid="red-line-loosen-hint" />}
      <Form<RedLineValues> form={form} layout="vertical" name="red_line" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="phrase" label={t('red-lines:fields.phrase')} rules={[{ required: true, whitespace: true, message: t('red-lines:validation.phrase') }]}>
          <Input autoComplete="off" maxLength={PHRASE_MAX} disabled={!controls.phrase} />
        </Form.Item>
        <Form.Item name="severity" label={t('red-lines:fields.severity')} rules={[{ required: true, message: t('red-lines:validation.severity') }]}>
          <Radio.Group
            options={SEVERITIES.map((s) => ({
              value: s,
              disabled: s === 'warn' && !controls.warn,
              label: (
                <Tooltip title={t(`red-lines:severityHint.${s}`)}>
                  <span>{t(`severity.${s}`)}</span>
                </Tooltip>
              ),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="exceptions"
          label={t('red-lines:fields.exceptions')}
          extra={t('red-lines:exceptionsHelp')}
          dependencies={['phrase']}
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_, list?: string[]) => {
                const phrase = String(getFieldValue('phrase') ?? '').trim().toLowerCase();
                if (phrase && (list ?? []).some((e) => e.trim() && !e.trim().toLowerCase().includes(phrase))) {
                  throw new Error(t('errors.redLineExceptionUnrelated'));
                }
              },
            }),
          ]}
        >
          {controls.add_exceptions ? (
            <Select mode="tags" open={false} suffixIcon={null} tokenSeparators={[',', '，']} />
          ) : (
            // The stored exceptions can be removed; without a search box none can be added.
            <Select
              mode="multiple"
              open={false}
              showSearch={false}
              suffixIcon={null}
              options={(row?.exceptions ?? []).map((e) => ({ value: e, label: e }))}
            />
          )}
        </Form.Item>
        <Form.Item name="note" label={t('red-lines:fields.note')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={NOTE_MAX} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Paste some copy, see it with the red-line hits marked (the same check the board runs). */
function TryBox() {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const [text, setText] = useState('');
  const check = useMutation({ mutationFn: (body: string) => contentApi.check(wsId, { title: '', body }) });
  const result: { text: string; checks: ContentChecks } | undefined =
    check.data && check.variables !== undefined ? { text: check.variables, checks: check.data } : undefined;
  const hits = result?.checks.red_lines.filter((h) => h.field === 'body') ?? [];

  return (
    <Card type="inner" size="small" title={t('red-lines:try.title')} style={{ marginTop: 24 }} data-testid="red-line-try">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.TextArea
          aria-label={t('red-lines:try.title')}
          placeholder={t('red-lines:try.placeholder')}
          autoSize={{ minRows: 3, maxRows: 8 }}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Space>
          <Button onClick={() => check.mutate(text)} loading={check.isPending} disabled={!text.trim()}>
            {t('red-lines:try.run')}
          </Button>
          <Typography.Text type="secondary">{t('red-lines:try.chars', { count: charCount(text) })}</Typography.Text>
        </Space>
        {check.isError && <Alert type="error" showIcon title={describeError(check.error, t)} />}
        {result && (
          <div data-testid="red-line-try-result">
            <Typography.Paragraph style={{ marginBottom: 8 }}>
              {hits.length === 0 ? (
                <Tag color="success">{t('red-lines:try.clean')}</Tag>
              ) : (
                <Tag color={hits.some((h) => h.severity === 'block') ? 'red' : 'orange'}>{t('red-lines:try.hits', { count: hits.length })}</Tag>
              )}
            </Typography.Paragraph>
            <div className="kox-highlight" style={{ whiteSpace: 'pre-wrap', lineHeight: 1.8 }}>
              <HighlightedText text={result.text} hits={hits} />
            </div>
          </div>
        )}
      </Space>
    </Card>
  );
}

export default function RedLinesPage() {
  const { t } = useTranslation();
  const { wsId, can } = useSession();
  const redLines = useRedLines(wsId);
  const manage = can('red_lines.manage');
  const loosen = can('red_lines.loosen');
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<{ open: boolean; row?: RedLine }>({ open: false });
  const rows = useMemo(() => filterRedLines(redLines.data ?? [], query), [redLines.data, query]);

  const toggle = useApiMutation({
    mutationFn: (r: RedLine) => redLineApi.update(wsId, r.id, { enabled: !r.enabled }),
    success: (r) => (r.enabled ? t('red-lines:enabled') : t('red-lines:disabled')),
    invalidate: redLinesChanged(wsId),
  });

  const remove = useApiMutation({
    mutationFn: (id: number) => redLineApi.remove(wsId, id),
    success: t('red-lines:deleted'),
    invalidate: redLinesChanged(wsId),
  });

  const columns: TableColumnsType<RedLine> = [
    {
      title: t('red-lines:fields.phrase'),
      dataIndex: 'phrase',
      render: (_, r) => (
        <Space size={4}>
          <Typography.Text strong>{r.phrase}</Typography.Text>
          {r.builtin && (
            <Tooltip title={t('red-lines:builtinHint')}>
              <Tag variant="filled" data-testid="red-line-builtin">
                {t('red-lines:builtin')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('red-lines:fields.severity'),
      dataIndex: 'severity',
      width: 110,
      filters: SEVERITIES.map((s) => ({ text: t(`severity.${s}`), value: s })),
      onFilter: (v, r) => r.severity === v,
      render: (s: RedLineSeverity) => <SeverityTag severity={s} />,
    },
    {
      title: t('red-lines:fields.exceptions'),
      dataIndex: 'exceptions',
      render: (list: string[]) => (
        <Space size={[0, 4]} wrap>
          {list.map((e) => (
            <Tag key={e}>{e}</Tag>
          ))}
        </Space>
      ),
    },
    { title: t('red-lines:fields.note'), dataIndex: 'note', ellipsis: true, render: (_, r) => redLineNote(r.note, t) },
    {
      title: t('red-lines:fields.enabled'),
      dataIndex: 'enabled',
      width: 80,
      render: (_, r) => {
        const held = manage && !lineControls(r).toggle;
        return (
          <Tooltip title={held ? t('red-lines:loosenHint') : undefined}>
            <Switch
              checked={r.enabled}
              disabled={!manage || held}
              size="small"
              loading={toggle.isPending && toggle.variables?.id === r.id}
              aria-label={`${t('red-lines:fields.enabled')} ${r.phrase}`}
              onChange={() => toggle.mutate(r)}
            />
          </Tooltip>
        );
      },
    },
    ...(manage
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 130,
            render: (_: unknown, r: RedLine) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing({ open: true, row: r })}>
                  {t('common.edit')}
                </Button>
                {!r.builtin && lineControls(r).remove && (
                  <Popconfirm title={t('red-lines:deleteConfirm', { phrase: r.phrase })} onConfirm={() => remove.mutate(r.id)}>
                    <Button type="link" size="small" danger>
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <Card
      title={t('red-lines:title')}
      extra={
        manage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true })}>
            {t('red-lines:add')}
          </Button>
        )
      }
    >
      {!manage && <Alert type="info" showIcon title={t('red-lines:readOnly')} style={{ marginBottom: 16 }} />}
      {manage && !loosen && <Alert type="info" showIcon title={t('red-lines:loosenHint')} style={{ marginBottom: 16 }} />}
      <Input.Search
        allowClear
        aria-label={t('common.search')}
        placeholder={t('red-lines:searchPlaceholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        style={{ maxWidth: 320, marginBottom: 16 }}
      />
      {redLines.isError ? (
        <ErrorResult error={redLines.error} onRetry={() => void redLines.refetch()} />
      ) : (
        <Table<RedLine>
          rowKey="id"
          size="middle"
          data-testid="red-lines-table"
          loading={redLines.isLoading}
          dataSource={rows}
          columns={columns}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: query.trim() ? t('red-lines:noMatch') : t('red-lines:empty') }}
        />
      )}
      <TryBox />
      <RedLineModal row={editing.row} open={editing.open} onClose={() => setEditing({ open: false })} />
    </Card>
  );
}
