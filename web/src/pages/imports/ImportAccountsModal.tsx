import { useEffect, useState } from 'react';
import { Alert, Button, Checkbox, Form, Modal, Progress, Result, Select, Space, Statistic, Steps, Table, Tag, Typography, Upload } from 'antd';
import { InboxOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { importApi, type Import, type ImportIssue, type ImportPreview, type Mapping } from './api';
import { accountKeys } from '../accounts/queries';
import { useApiMutation } from '../../lib/useApiMutation';
import { errorKey } from '../../lib/errors';
import { SavedMappingSelect, SaveMappingButton } from './SavedMappings';

interface Props {
  wsId: number;
  open: boolean;
  onClose: () => void;
}

/**
 * The import wizard: upload (its mapping from a saved one, if chosen) → map columns (the mapping
 * can be saved for the next file) → preview (a dry run) → commit with progress.
 */
export function ImportAccountsModal({ wsId, open, onClose }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [mappingId, setMappingId] = useState<number>();
  const [upload, setUpload] = useState<Import | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [committing, setCommitting] = useState(false);

  const reset = () => {
    setStep(0);
    setMappingId(undefined);
    setUpload(null);
    setMapping({});
    setPreview(null);
    setSkipInvalid(false);
    setCommitting(false);
  };
  useEffect(() => {
    if (!open) reset();
  }, [open]);

  const send = useApiMutation({
    mutationFn: (file: File) => importApi.upload(wsId, file, { kind: 'accounts', mapping_id: mappingId }),
    onSuccess: (imp) => {
      setUpload(imp);
      setMapping(imp.mapping as Mapping);
      setStep(1);
    },
  });
  const check = useApiMutation({
    mutationFn: () => importApi.preview(wsId, upload!.id, mapping),
    onSuccess: (p) => {
      setPreview(p);
      setStep(2);
    },
  });
  const commit = useApiMutation({
    mutationFn: () => importApi.commit(wsId, upload!.id, mapping, skipInvalid),
    onSuccess: () => {
      setCommitting(true);
      setStep(3);
    },
  });
  const progress = useQuery({
    queryKey: ['imports', wsId, upload?.id],
    queryFn: () => importApi.get(wsId, upload!.id),
    enabled: committing && upload !== null,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'committing' ? false : 500),
  });
  const finished = progress.data && progress.data.status !== 'committing' ? progress.data : null;
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: accountKeys.all(wsId) });
  }, [finished, queryClient, wsId]);

  const fieldLabel = (f: { field: string; label?: string | null }) => f.label ?? t(`accounts:fields.${f.field}`);
  const headerOf = (i: number) => `${upload?.headers[i] || ''} (${columnLetter(i)})`;
  const issueText = (i: ImportIssue) => {
    const key = errorKey(i.code);
    return key ? t(key, { message: i.message, field: i.field }) : i.message;
  };

  const steps = (
    <Steps
      size="small"
      current={step}
      style={{ marginBottom: 24 }}
      items={[
        { title: t('imports:steps.upload') },
        { title: t('imports:steps.map') },
        { title: t('imports:steps.preview') },
        { title: t('imports:steps.commit') },
      ]}
    />
  );

  let body: React.ReactNode = null;
  let footer: React.ReactNode = null;
  if (step === 0) {
    body = (
      <>
        <Form layout="vertical" component="div">
          <SavedMappingSelect wsId={wsId} kind="accounts" value={mappingId} onChange={setMappingId} testIdPrefix="import" />
        </Form>
        <div data-testid="import-file">
          <Upload.Dragger
            accept=".xlsx,.xls,.xlsm,.ods,.csv,.tsv,.txt"
            showUploadList={false}
            disabled={send.isPending}
            beforeUpload={(file) => {
              send.mutate(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{send.isPending ? t('imports:upload.reading') : t('imports:upload.hint')}</p>
            <p className="ant-upload-hint">{t('imports:upload.formats')}</p>
          </Upload.Dragger>
        </div>
      </>
    );
    footer = null;
  } else if (step === 1 && upload) {
    const sample = upload.sample[0]?.cells ?? [];
    const used = new Set(Object.values(mapping));
    body = (
      <>
        <Typography.Paragraph>
          {t('imports:map.intro', { file: upload.file_name, count: upload.total_rows, header: upload.header_row })}
        </Typography.Paragraph>
        <Table
          rowKey="field"
          size="small"
          pagination={false}
          data-testid="import-mapping"
          dataSource={upload.fields}
          scroll={{ y: 360 }}
          columns={[
            {
              title: t('imports:map.field'),
              key: 'field',
              width: 200,
              render: (_, f) => (
                <Space size={4}>
                  {fieldLabel(f)}
                  {f.field === 'platform' || f.field === 'handle' ? (
                    <Tag color="blue">{t('imports:map.matchKey')}</Tag>
                  ) : f.required ? (
                    <Tag>{t('imports:map.required')}</Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              title: t('imports:map.column'),
              key: 'column',
              width: 240,
              render: (_, f) => (
                <Select
                  style={{ width: '100%' }}
                  allowClear
                  placeholder={t('imports:map.notImported')}
                  data-testid={`import-map-${f.field}`}
                  value={mapping[f.field]}
                  onChange={(v?: number) => {
                    const next = { ...mapping };
                    if (v === undefined) delete next[f.field];
                    else next[f.field] = v;
                    setMapping(next);
                  }}
                  options={upload.headers.map((_, i) => ({
                    value: i,
                    label: headerOf(i),
                    disabled: used.has(i) && mapping[f.field] !== i,
                  }))}
                />
              ),
            },
            {
              title: t('imports:map.sample'),
              key: 'sample',
              ellipsis: true,
              render: (_, f) => (mapping[f.field] !== undefined ? sample[mapping[f.field]] || '—' : ''),
            },
          ]}
        />
      </>
    );
    footer = (
      <Space>
        <SaveMappingButton wsId={wsId} kind="accounts" fileName={upload.file_name} mapping={mapping} headers={upload.headers} testIdPrefix="import" />
        <Button onClick={reset}>{t('imports:back')}</Button>
        <Button type="primary" loading={check.isPending} onClick={() => check.mutate()} data-testid="import-preview">
          {t('imports:next')}
        </Button>
      </Space>
    );
  } else if (step === 2 && preview) {
    const valid = preview.creates + preview.updates + preview.unchanged;
    body = (
      <>
        <Space size={48} style={{ marginBottom: 16 }} data-testid="import-counts">
          <Statistic title={t('imports:preview.creates')} value={preview.creates} />
          <Statistic title={t('imports:preview.updates')} value={preview.updates} />
          <Statistic title={t('imports:preview.unchanged')} value={preview.unchanged} />
          <Statistic
            title={t('imports:preview.invalid')}
            value={preview.invalid}
            valueStyle={preview.invalid ? { color: '#cf1322' } : undefined}
          />
        </Space>
        {preview.issue_count === 0 ? (
          <Alert type="success" showIcon message={t('imports:preview.noIssues')} />
        ) : (
          <>
            <Typography.Title level={5}>{t('imports:preview.issues', { count: preview.issue_count })}</Typography.Title>
            <Table
              rowKey={(i) => `${i.row}-${i.field}-${i.code}`}
              size="small"
              data-testid="import-issues"
              dataSource={preview.issues}
              pagination={{ pageSize: 8, showSizeChanger: false }}
              columns={[
                { title: t('imports:preview.row'), dataIndex: 'row', width: 70 },
                {
                  title: t('imports:preview.column'),
                  key: 'column',
                  width: 160,
                  render: (_, i) => (i.column_letter ? `${i.column_letter} · ${i.header ?? ''}` : '—'),
                },
                { title: t('imports:preview.value'), dataIndex: 'value', width: 140, ellipsis: true },
                { title: t('imports:preview.problem'), key: 'problem', render: (_, i) => issueText(i) },
              ]}
            />
            <Checkbox checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} data-testid="import-skip-invalid">
              {t('imports:preview.skipInvalid', { count: valid })}
            </Checkbox>
          </>
        )}
      </>
    );
    footer = (
      <Space>
        <Button onClick={() => setStep(1)}>{t('imports:back')}</Button>
        <Button
          type="primary"
          loading={commit.isPending}
          disabled={preview.invalid > 0 && !skipInvalid}
          onClick={() => commit.mutate()}
          data-testid="import-commit"
        >
          {t('imports:commit.start')}
        </Button>
      </Space>
    );
  } else if (step === 3 && upload) {
    const p = progress.data;
    const r = finished?.result;
    body = finished ? (
      finished.status === 'done' && r ? (
        <Result
          status="success"
          data-testid="import-done"
          title={t('imports:commit.done', { created: r.created, updated: r.updated, unchanged: r.unchanged, skipped: r.skipped })}
        />
      ) : (
        <Result status="warning" title={t('imports:commit.failed', { error: r?.error ?? '' })} />
      )
    ) : (
      <div style={{ padding: '24px 0' }}>
        <Typography.Paragraph>{t('imports:commit.running', { done: p?.done_rows ?? 0, total: upload.total_rows })}</Typography.Paragraph>
        <Progress percent={upload.total_rows ? Math.floor(((p?.done_rows ?? 0) * 100) / upload.total_rows) : 0} />
      </div>
    );
    footer = finished ? (
      <Space>
        {finished.status === 'failed' && (
          <Button onClick={() => commit.mutate()} loading={commit.isPending}>
            {t('imports:commit.retry')}
          </Button>
        )}
        <Button type="primary" onClick={onClose} data-testid="import-close">
          {t('imports:commit.close')}
        </Button>
      </Space>
    ) : null;
  }

  return (
    <Modal
      open={open}
      title={t('imports:title')}
      width={820}
      onCancel={onClose}
      maskClosable={false}
      footer={footer}
      destroyOnHidden
    >
      {steps}
      {body}
    </Modal>
  );
}

/** A column's letter as spreadsheet programs name it (0 → A, 26 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
