import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Form,
  Modal,
  Progress,
  Radio,
  Result,
  Segmented,
  Select,
  Space,
  Spin,
  Statistic,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { importApi, type Import, type ImportIssue, type ImportPreset, type ImportPreview, type Mapping, type RowResolution } from '../imports/api';
import { columnLetter } from '../imports/ImportAccountsModal';
import { SavedMappingSelect, SaveMappingButton } from '../imports/SavedMappings';
import { AccountSelect } from '../content/AccountSelect';
import { contentKeys } from '../content/queries';
import { usePlatforms } from '../platforms/queries';
import { formatTime } from '../../components/events';
import { describeError, errorKey } from '../../lib/errors';
import { downloadFile, queryString } from '../../lib/download';
import { useApiMutation } from '../../lib/useApiMutation';
import { useSession } from '../../auth/session';
import type { MatchRow } from './api';
import { metricsKeys, presetsQuery } from './queries';
import {
  choiceOf,
  ENCODINGS,
  fieldRole,
  GENERIC,
  importKind,
  kindOf,
  mappingMissing,
  mappingOf,
  mergeMatches,
  METRIC_KINDS,
  metricIssue,
  postMatching,
  presetText,
  previewStats,
  progressPercent,
  resolutionList,
  resolutionOf,
  resultCounts,
  setMapping,
  shownChoice,
  sourceAccount,
  sourceMissing,
  stepOf,
  unsettled,
  uploadQuery,
  type ChoiceValue,
  type Encoding,
  type MetricKind,
  type SourceChoice,
} from './wizard';

interface Props {
  wsId: number;
  open: boolean;
  /** An import to open (continue its mapping, follow its commit, read its result); a new one when absent. */
  importId?: number | null;
  onClose: () => void;
}

const ACCEPT = '.xlsx,.xls,.xlsm,.ods,.csv,.tsv,.txt';

/** A field's name in the UI's language (a field the UI does not know by its own name). */
function useFieldLabel() {
  const { t } = useTranslation();
  return (field: string) => t(`metrics:fields.${field}`, { defaultValue: field });
}

/** The issue's reason in the UI's language, as an import of `kind` means it. */
function useIssueText(kind: MetricKind) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  return (i: Pick<ImportIssue, 'code' | 'field' | 'message'>) => {
    const own = metricIssue(i.code, i.field, i.message, kind);
    if (own) return t(own.key, own.params.field ? { ...own.params, field: fieldLabel(own.params.field) } : own.params);
    const key = errorKey(i.code);
    return key ? t(key, { message: i.message, field: i.field }) : i.message;
  };
}

/** The problems of a preview or of a commit's skipped rows: by row, column letter and header. */
function IssuesTable({ issues, kind, testId }: { issues: ImportIssue[]; kind: MetricKind; testId: string }) {
  const { t } = useTranslation();
  const issueText = useIssueText(kind);
  return (
    <Table
      rowKey={(i) => `${i.row}-${i.field}-${i.code}`}
      size="small"
      data-testid={testId}
      dataSource={issues}
      pagination={{ pageSize: 8, showSizeChanger: false, hideOnSinglePage: true }}
      columns={[
        { title: t('metrics:preview.row'), dataIndex: 'row', width: 64 },
        {
          title: t('metrics:preview.column'),
          key: 'column',
          width: 170,
          render: (_, i) => (i.column_letter ? `${i.column_letter} · ${i.header ?? ''}` : '—'),
        },
        { title: t('metrics:preview.value'), dataIndex: 'value', width: 150, ellipsis: true },
        { title: t('metrics:preview.problem'), key: 'problem', render: (_, i) => issueText(i) },
      ]}
    />
  );
}

/** 下载错误行: the rows with errors as the file had them, each with what is wrong, to fix and import again. */
function ErrorsDownload({ wsId, importId }: { wsId: number; importId: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      const lang = i18n.language === 'en-US' ? 'en-US' : 'zh-CN';
      await downloadFile(`/api/v1/workspaces/${wsId}/imports/${importId}/errors.xlsx${queryString({ lang })}`, `import-errors-${importId}.xlsx`);
    } catch (e) {
      void message.error(describeError(e, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" icon={<DownloadOutlined />} loading={busy} onClick={() => void run()} data-testid="metric-errors-download">
      {t('metrics:preview.downloadErrors')}
    </Button>
  );
}

/**
 * 选择来源: what the file holds; for post numbers the preset (with its note) and the account of a
 * per-account export, for followers the account when the file names none; a saved mapping of
 * the kind, the encoding, the day of post numbers, then the file.
 */
function SourceStep({
  presets,
  choice,
  onChange,
  onFile,
  sending,
}: {
  presets: ImportPreset[];
  choice: SourceChoice;
  onChange: (c: SourceChoice) => void;
  onFile: (f: File) => void;
  sending: boolean;
}) {
  const { t, i18n } = useTranslation();
  const kind = kindOf(choice);
  const preset = kind === 'post_metrics' ? presets.find((p) => p.id === choice.preset) : undefined;
  const account = sourceAccount(choice, presets);
  const missing = sourceMissing(choice, presets);
  const { wsId } = useSession();
  const platforms = usePlatforms(wsId);
  const platformName = (code: string) => platforms.data?.find((p) => p.code === code)?.name ?? code;
  const accountHelp =
    kind === 'account_metrics'
      ? t('metrics:source.accountFollowers')
      : account === 'required'
        ? t('metrics:source.accountHelp', { platform: platformName(preset!.platform) })
        : t('metrics:source.accountOptional');
  return (
    <Form layout="vertical" component="div">
      <Form.Item label={t('metrics:source.kind')} required help={t(`metrics:kindNotes.${kind}`)} style={{ marginBottom: 24 }}>
        <Segmented<MetricKind>
          value={kind}
          // Another kind starts afresh: presets, the account and the day belong to the kind.
          onChange={(k) => onChange({ kind: k, encoding: choice.encoding })}
          options={METRIC_KINDS.map((k) => ({ value: k, label: t(`metrics:kinds.${k}`) }))}
          data-testid="metric-kind"
        />
      </Form.Item>
      {kind === 'post_metrics' && (
        <Form.Item label={t('metrics:source.preset')} required>
          <Radio.Group
            value={choice.preset}
            onChange={(e) => onChange({ ...choice, preset: e.target.value as string, accountId: undefined })}
            style={{ width: '100%' }}
            data-testid="metric-preset"
          >
            <Space orientation="vertical" style={{ width: '100%' }}>
              {presets.map((p) => {
                const text = presetText(p, i18n.language);
                return (
                  <Radio key={p.id} value={p.id} data-testid={`metric-preset-${p.id}`}>
                    <Space size={6}>
                      <Typography.Text strong>{text.name}</Typography.Text>
                      <Tag>{platformName(p.platform)}</Tag>
                      {p.per_account && <Tag color="blue">{t('metrics:source.perAccount')}</Tag>}
                    </Space>
                    <br />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {text.note}
                    </Typography.Text>
                  </Radio>
                );
              })}
              <Radio value={GENERIC} data-testid="metric-preset-generic">
                <Typography.Text strong>{t('metrics:source.generic')}</Typography.Text>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('metrics:source.genericNote')}
                </Typography.Text>
              </Radio>
            </Space>
          </Radio.Group>
        </Form.Item>
      )}
      {account !== 'none' && (
        <Form.Item label={t('metrics:source.account')} required={account === 'required'} help={accountHelp}>
          <AccountSelect
            key={preset?.platform ?? 'any'}
            platform={preset?.platform}
            value={choice.accountId}
            onChange={(v) => onChange({ ...choice, accountId: typeof v === 'number' ? v : undefined })}
            placeholder={t('metrics:source.accountPlaceholder')}
            aria-label={t('metrics:source.account')}
            data-testid="metric-account"
            style={{ width: '100%' }}
          />
        </Form.Item>
      )}
      <SavedMappingSelect
        wsId={wsId}
        kind={kind}
        value={choice.mappingId}
        onChange={(mappingId) => onChange({ ...choice, mappingId })}
        testIdPrefix="metric"
      />
      <Space size={24} wrap>
        <Form.Item label={t('metrics:source.encoding')} help={t('metrics:source.encodingHelp')}>
          <Select<Encoding>
            allowClear
            style={{ width: 200 }}
            placeholder={t('metrics:source.encodingAuto')}
            value={choice.encoding}
            onChange={(v) => onChange({ ...choice, encoding: v ?? undefined })}
            aria-label={t('metrics:source.encoding')}
            options={ENCODINGS.map((e) => ({ value: e, label: e.toUpperCase() }))}
          />
        </Form.Item>
        {kind === 'post_metrics' && (
          <Form.Item label={t('metrics:source.asOf')} help={t('metrics:source.asOfHelp')}>
            <DatePicker
              style={{ width: 200 }}
              placeholder={t('metrics:source.asOfToday')}
              value={choice.asOf ? dayjs(choice.asOf) : null}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              onChange={(d) => onChange({ ...choice, asOf: d ? d.format('YYYY-MM-DD') : undefined })}
              aria-label={t('metrics:source.asOf')}
            />
          </Form.Item>
        )}
      </Space>
      <div data-testid="metric-import-file" style={{ marginTop: 16 }}>
        <Upload.Dragger
          accept={ACCEPT}
          showUploadList={false}
          disabled={sending || missing !== null}
          beforeUpload={(file) => {
            onFile(file);
            return false;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">
            {sending ? t('metrics:source.reading') : missing ? t(`metrics:source.missing.${missing}`) : t('metrics:source.hint')}
          </p>
          <p className="ant-upload-hint">{t('metrics:source.formats')}</p>
        </Upload.Dragger>
      </div>
    </Form>
  );
}

/**
 * The data import wizard: what the file holds and its source → columns → preview (for post
 * numbers, posts settled by the user) → commit with progress → result.
 */
export function MetricImportWizard({ wsId, open, importId, onClose }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const presets = useQuery({ ...presetsQuery(wsId), enabled: open });
  const metricPresets = useMemo(() => (presets.data ?? []).filter((p) => p.kind === 'post_metrics'), [presets.data]);

  const [step, setStep] = useState(0);
  const [choice, setChoice] = useState<SourceChoice>({});
  const [file, setFile] = useState<File | null>(null);
  const [upload, setUpload] = useState<Import | null>(null);
  const [mapping, setMappingState] = useState<Mapping>({});
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [known, setKnown] = useState<Map<number, MatchRow>>(new Map());
  const [choices, setChoices] = useState<Record<number, RowResolution>>({});
  const [choicesDirty, setChoicesDirty] = useState(false);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [following, setFollowing] = useState(false);

  const reset = () => {
    setStep(0);
    setChoice({});
    setFile(null);
    setUpload(null);
    setMappingState({});
    setPreview(null);
    setKnown(new Map());
    setChoices({});
    setChoicesDirty(false);
    setSkipInvalid(false);
    setFollowing(false);
  };
  useEffect(() => {
    if (!open) reset();
  }, [open]);

  // An import opened from the list: its mapping when not committed yet, else its commit.
  const opened = useQuery({
    queryKey: metricsKeys.import(wsId, importId ?? 0),
    queryFn: () => importApi.get(wsId, importId!),
    enabled: open && importId != null,
    staleTime: Infinity,
  });
  useEffect(() => {
    const imp = opened.data;
    if (!open || !imp || upload) return;
    setUpload(imp);
    setChoice(choiceOf(imp));
    setMappingState(mappingOf(imp));
    setStep(stepOf(imp));
    setFollowing(imp.status !== 'uploaded');
  }, [open, opened.data, upload]);

  const uploaded = (imp: Import) => {
    setUpload(imp);
    setChoice(choiceOf(imp));
    setMappingState(mappingOf(imp));
    setPreview(null);
    setKnown(new Map());
    setChoices({});
    setStep(1);
  };
  const send = useApiMutation({
    mutationFn: ({ f, c }: { f: File; c: SourceChoice }) => importApi.upload(wsId, f, uploadQuery(c, metricPresets)),
    onSuccess: uploaded,
    invalidate: [metricsKeys.imports(wsId)],
  });
  const sendFile = (f: File) => {
    setFile(f);
    send.mutate({ f, c: choice });
  };
  /** Reads the same file again with another sheet or encoding. */
  const reread = (patch: Partial<SourceChoice>) => {
    if (!file) return;
    const c = { ...choice, ...patch };
    setChoice(c);
    send.mutate({ f: file, c });
  };

  // What the file holds: the upload's kind once there is one.
  const kind: MetricKind = upload ? importKind(upload) : kindOf(choice);

  const check = useApiMutation({
    mutationFn: () => importApi.preview(wsId, upload!.id, mapping, resolutionList(choices)),
    onSuccess: (p) => {
      setPreview(p);
      setKnown((k) => mergeMatches(k, postMatching(kind, p)?.matches ?? []));
      setChoicesDirty(false);
      setStep(2);
    },
  });
  const commit = useApiMutation({
    mutationFn: () => importApi.commit(wsId, upload!.id, mapping, skipInvalid, resolutionList(choices)),
    onSuccess: (imp) => {
      queryClient.setQueryData(metricsKeys.import(wsId, imp.id), imp);
      setFollowing(true);
      setStep(3);
    },
    invalidate: [metricsKeys.imports(wsId)],
  });
  const cancel = useApiMutation({
    mutationFn: () => importApi.cancel(wsId, upload!.id),
    success: t('metrics:commit.cancelAsked'),
  });

  const progress = useQuery({
    queryKey: [...metricsKeys.import(wsId, upload?.id ?? 0), 'progress'],
    queryFn: () => importApi.get(wsId, upload!.id),
    enabled: open && following && upload !== null,
    refetchInterval: (q) => (q.state.data && q.state.data.status !== 'committing' ? false : 500),
  });
  const finished = progress.data && progress.data.status !== 'committing' ? progress.data : null;
  useEffect(() => {
    if (!finished) return;
    // New posts, snapshots and grades: the list, the board and every open item read again.
    void queryClient.invalidateQueries({ queryKey: metricsKeys.all(wsId) });
    void queryClient.invalidateQueries({ queryKey: contentKeys.all(wsId) });
  }, [finished, queryClient, wsId]);

  const fieldLabel = useFieldLabel();
  const headerOf = (i: number) => `${upload?.headers[i] || t('metrics:map.noHeader')} (${columnLetter(i)})`;

  const steps = (
    <Steps
      size="small"
      current={step}
      style={{ marginBottom: 24 }}
      items={[
        { title: t('metrics:steps.source') },
        { title: t('metrics:steps.map') },
        { title: t('metrics:steps.preview') },
        { title: t('metrics:steps.commit') },
      ]}
    />
  );

  let body: ReactNode = null;
  let footer: ReactNode = null;
  if (importId != null && !upload) {
    body = opened.isError ? <Alert type="error" showIcon title={String(opened.error)} /> : <Spin />;
  } else if (step === 0) {
    body = presets.isLoading ? (
      <Spin />
    ) : (
      <SourceStep presets={metricPresets} choice={choice} onChange={setChoice} onFile={sendFile} sending={send.isPending} />
    );
  } else if (step === 1 && upload) {
    const missing = mappingMissing(mapping, kind, upload.options.account_id != null);
    const missingText = missing
      ? t(`metrics:map.missing.${missing.key}`, {
          fields: missing.fields.map((f) => t('metrics:map.quoted', { name: fieldLabel(f) })).join(t('common.listSeparator')),
        })
      : null;
    const sample = upload.sample;
    body = (
      <>
        <Typography.Paragraph data-testid="metric-map-intro">
          {t('metrics:map.intro', { file: upload.file_name, count: upload.total_rows, header: upload.header_row })}
          {upload.encoding && <> {t('metrics:map.encoding', { encoding: upload.encoding.toUpperCase() })}</>}
        </Typography.Paragraph>
        {file && (upload.sheets.length > 1 || upload.encoding) && (
          <Space wrap style={{ marginBottom: 12 }}>
            {upload.sheets.length > 1 && (
              <Select
                style={{ width: 200 }}
                value={upload.options.sheet ?? upload.sheets[0]}
                onChange={(sheet: string) => reread({ sheet })}
                aria-label={t('metrics:map.sheet')}
                options={upload.sheets.map((s) => ({ value: s, label: t('metrics:map.sheetName', { name: s }) }))}
              />
            )}
            {upload.encoding && (
              <Select<Encoding>
                style={{ width: 220 }}
                value={(ENCODINGS as readonly string[]).includes(upload.encoding) ? (upload.encoding as Encoding) : undefined}
                onChange={(encoding) => reread({ encoding })}
                aria-label={t('metrics:map.rereadAs')}
                options={ENCODINGS.map((e) => ({ value: e, label: t('metrics:map.readAs', { encoding: e.toUpperCase() }) }))}
              />
            )}
          </Space>
        )}
        <Table
          rowKey="field"
          size="small"
          pagination={false}
          data-testid="metric-mapping"
          dataSource={upload.fields}
          scroll={{ y: 320 }}
          columns={[
            {
              title: t('metrics:map.field'),
              key: 'field',
              width: 200,
              render: (_, f) => {
                const role = fieldRole(kind, f.field);
                return (
                  <Space size={4}>
                    {f.label ?? fieldLabel(f.field)}
                    {role === 'match' && <Tag color="blue">{t('metrics:map.matchKey')}</Tag>}
                    {role === 'required' && <Tag>{t('common.required')}</Tag>}
                  </Space>
                );
              },
            },
            {
              title: t('metrics:map.column'),
              key: 'column',
              width: 260,
              render: (_, f) => (
                <Select
                  style={{ width: '100%' }}
                  allowClear
                  placeholder={t('metrics:map.notImported')}
                  data-testid={`metric-map-${f.field}`}
                  aria-label={fieldLabel(f.field)}
                  value={mapping[f.field]}
                  onChange={(v?: number) => setMappingState(setMapping(mapping, f.field, v))}
                  options={upload.headers.map((_, i) => ({ value: i, label: headerOf(i) }))}
                />
              ),
            },
            {
              title: t('metrics:map.sample'),
              key: 'sample',
              ellipsis: true,
              render: (_, f) => (mapping[f.field] !== undefined ? sample[0]?.cells[mapping[f.field]] || '—' : ''),
            },
          ]}
        />
        {missingText && <Alert type="warning" showIcon style={{ marginTop: 12 }} title={missingText} data-testid="metric-map-missing" />}
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {t('metrics:map.sampleRows')}
        </Typography.Title>
        <Table
          rowKey="row"
          size="small"
          pagination={false}
          data-testid="metric-sample"
          scroll={{ x: 'max-content' }}
          dataSource={sample.slice(0, 5)}
          columns={[
            { title: t('metrics:preview.row'), dataIndex: 'row', width: 56, fixed: 'left' },
            ...upload.headers.map((h, i) => ({
              title: `${columnLetter(i)} · ${h}`,
              key: String(i),
              ellipsis: true,
              width: 140,
              render: (_: unknown, r: { cells: string[] }) => r.cells[i] ?? '',
            })),
          ]}
        />
      </>
    );
    footer = (
      <Space>
        <SaveMappingButton wsId={wsId} kind={kind} fileName={upload.file_name} mapping={mapping} headers={upload.headers} testIdPrefix="metric" />
        {importId == null && <Button onClick={() => setStep(0)}>{t('metrics:back')}</Button>}
        <Button type="primary" loading={check.isPending} disabled={missing !== null} onClick={() => check.mutate()} data-testid="metric-import-preview">
          {t('metrics:next')}
        </Button>
      </Space>
    );
  } else if (step === 2 && preview) {
    const s = previewStats(preview);
    // Post numbers find their posts; the other kinds' rows say what they are about.
    const posts = postMatching(kind, preview);
    const rows = posts ? [...known.values()].sort((a, b) => a.row - b.row) : [];
    const open = unsettled(rows, choices);
    body = (
      <>
        <Typography.Text type="secondary" style={{ display: 'block' }}>
          {posts ? t('metrics:preview.snapshots') : t('metrics:preview.records')}
        </Typography.Text>
        <Space size={40} wrap style={{ margin: '8px 0 16px' }} data-testid="metric-preview-counts">
          <Statistic title={t('metrics:preview.rows')} value={s.rows} />
          <Statistic title={t('metrics:preview.creates')} value={s.creates} />
          <Statistic title={t('metrics:preview.updates')} value={s.updates} />
          <Statistic title={t('metrics:preview.unchanged')} value={s.unchanged} />
          <Statistic title={t('metrics:preview.invalid')} value={s.invalid} styles={s.invalid ? { content: { color: '#cf1322' } } : undefined} />
        </Space>
        {posts && (
          <>
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {t('metrics:preview.posts')}
            </Typography.Text>
            <Space size={40} wrap style={{ margin: '8px 0 16px' }} data-testid="metric-preview-posts">
              <Statistic title={t('metrics:preview.byId')} value={s.byId} />
              <Statistic title={t('metrics:preview.byTitle')} value={s.byTitle} />
              <Statistic title={t('metrics:preview.weak')} value={s.weak} />
              <Statistic title={t('metrics:preview.ambiguous')} value={s.ambiguous} />
              {s.chosen > 0 && <Statistic title={t('metrics:preview.chosen')} value={s.chosen} />}
              <Statistic title={t('metrics:preview.newPosts')} value={s.newPosts} />
              {s.skipped > 0 && <Statistic title={t('metrics:preview.skipped')} value={s.skipped} />}
            </Space>
          </>
        )}
        {rows.length > 0 && (
          <>
            <Typography.Title level={5}>{t('metrics:preview.matchesTitle')}</Typography.Title>
            <Typography.Paragraph type="secondary">{t('metrics:preview.matchesHelp')}</Typography.Paragraph>
            <Table
              rowKey="row"
              size="small"
              data-testid="metric-matches"
              dataSource={rows}
              pagination={{ pageSize: 8, showSizeChanger: false, hideOnSinglePage: true }}
              columns={[
                { title: t('metrics:preview.row'), dataIndex: 'row', width: 56 },
                {
                  title: t('metrics:preview.inFile'),
                  key: 'file',
                  render: (_, m) => (
                    <>
                      <div>{m.title || '—'}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatTime(m.published_at)}
                      </Typography.Text>
                    </>
                  ),
                },
                {
                  title: t('metrics:preview.match'),
                  key: 'match',
                  width: 110,
                  render: (_, m) => (
                    <Tag color={m.match === 'ambiguous' ? 'orange' : m.match === 'weak' ? 'gold' : 'green'}>
                      {t(`metrics:preview.matchKind.${m.match}`)}
                      {m.score != null && m.match === 'weak' ? ` ${Math.round(m.score * 100)}%` : ''}
                    </Tag>
                  ),
                },
                {
                  title: t('metrics:preview.choice'),
                  key: 'choice',
                  width: 300,
                  render: (_, m) => (
                    <Select<ChoiceValue>
                      style={{ width: '100%' }}
                      data-testid={`metric-choice-${m.row}`}
                      aria-label={t('metrics:preview.choiceFor', { row: m.row })}
                      placeholder={t('metrics:preview.choose')}
                      status={m.match === 'ambiguous' && !choices[m.row] ? 'warning' : undefined}
                      value={shownChoice(m, choices)}
                      onChange={(v) => {
                        setChoices({ ...choices, [m.row]: resolutionOf(m.row, v) });
                        setChoicesDirty(true);
                      }}
                      options={[
                        ...m.candidates.map((c) => ({
                          value: `item:${c.item_id}` as ChoiceValue,
                          label: `${c.title} · ${formatTime(c.at)}`,
                        })),
                        ...(m.item_id != null && !m.candidates.some((c) => c.item_id === m.item_id)
                          ? [{ value: `item:${m.item_id}` as ChoiceValue, label: t('metrics:preview.postNumber', { id: m.item_id }) }]
                          : []),
                        { value: 'new' as ChoiceValue, label: t('metrics:preview.asNew') },
                        { value: 'skip' as ChoiceValue, label: t('metrics:preview.skipRow') },
                      ]}
                    />
                  ),
                },
              ]}
            />
            <Space style={{ margin: '8px 0 16px' }}>
              <Button onClick={() => check.mutate()} loading={check.isPending} disabled={!choicesDirty} data-testid="metric-rematch">
                {t('metrics:preview.again')}
              </Button>
              {open.length > 0 && <Typography.Text type="warning">{t('metrics:preview.unsettled', { rows: open.join(t('common.listSeparator')) })}</Typography.Text>}
            </Space>
          </>
        )}
        {preview.issue_count === 0 ? (
          <Alert type="success" showIcon title={t('metrics:preview.noIssues')} />
        ) : (
          <>
            <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {t('metrics:preview.issues', { count: preview.issue_count })}
              </Typography.Title>
              <ErrorsDownload wsId={wsId} importId={upload!.id} />
            </Space>
            <IssuesTable issues={preview.issues} kind={kind} testId="metric-issues" />
            <Checkbox checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} data-testid="metric-skip-invalid" style={{ marginTop: 8 }}>
              {t('metrics:preview.skipInvalid', { count: s.valid })}
            </Checkbox>
          </>
        )}
      </>
    );
    footer = (
      <Space>
        <Button onClick={() => setStep(1)}>{t('metrics:back')}</Button>
        <Button
          type="primary"
          loading={commit.isPending}
          disabled={(preview.invalid > 0 && !skipInvalid) || choicesDirty || s.valid === 0}
          onClick={() => commit.mutate()}
          data-testid="metric-import-commit"
        >
          {t('metrics:commit.start')}
        </Button>
      </Space>
    );
  } else if (step === 3 && upload) {
    const p = progress.data;
    const r = finished?.result;
    const total = p?.total_rows ?? upload.total_rows;
    if (!finished) {
      body = (
        <div style={{ padding: '24px 0' }} data-testid="metric-import-running">
          <Typography.Paragraph>{t('metrics:commit.running', { done: p?.done_rows ?? 0, total })}</Typography.Paragraph>
          <Progress percent={progressPercent(p?.done_rows ?? 0, total)} status="active" data-testid="metric-import-progress" />
        </div>
      );
      footer = (
        <Button danger onClick={() => cancel.mutate()} loading={cancel.isPending} data-testid="metric-import-cancel">
          {t('metrics:commit.cancel')}
        </Button>
      );
    } else {
      const counts = resultCounts(kind, r);
      body = (
        <>
          {finished.status === 'failed' ? (
            <Result status="error" title={t('metrics:commit.failed')} subTitle={r?.error ?? ''} data-testid="metric-import-failed" />
          ) : r?.cancelled ? (
            <Result status="warning" title={t('metrics:commit.cancelled', { done: finished.done_rows, total })} data-testid="metric-import-cancelled" />
          ) : (
            <Result status="success" title={t('metrics:commit.done')} subTitle={t(`metrics:commit.${counts.key}`, counts.params)} data-testid="metric-import-done" />
          )}
          {finished.undone_at && <Alert type="info" showIcon title={t('metrics:list.undoneAt', { time: formatTime(finished.undone_at) })} style={{ marginBottom: 12 }} />}
          {r && r.issues.length > 0 && (
            <>
              <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }}>
                <Typography.Title level={5} style={{ margin: 0 }}>
                  {t('metrics:commit.skippedRows', { count: r.skipped })}
                </Typography.Title>
                <ErrorsDownload wsId={wsId} importId={finished.id} />
              </Space>
              <IssuesTable issues={r.issues} kind={kind} testId="metric-result-issues" />
            </>
          )}
          <Descriptions size="small" column={2} style={{ marginTop: 12 }}>
            <Descriptions.Item label={t('metrics:list.file')}>{finished.file_name}</Descriptions.Item>
            <Descriptions.Item label={t('metrics:list.when')}>{formatTime(finished.created_at)}</Descriptions.Item>
          </Descriptions>
        </>
      );
      footer = (
        <Space>
          {finished.status === 'failed' && !finished.undone_at && (
            <Button onClick={() => commit.mutate()} loading={commit.isPending} disabled={Object.keys(mapping).length === 0}>
              {t('metrics:commit.retry')}
            </Button>
          )}
          <Button type="primary" onClick={onClose} data-testid="metric-import-close">
            {t('metrics:commit.close')}
          </Button>
        </Space>
      );
    }
  }

  return (
    <Modal
      open={open}
      title={upload ? `${t('metrics:wizard.title')} · ${t(`metrics:kinds.${kind}`)}` : t('metrics:wizard.title')}
      width={980}
      onCancel={onClose}
      maskClosable={false}
      footer={footer}
      destroyOnHidden
      data-testid="metric-import-wizard"
    >
      {steps}
      {body}
    </Modal>
  );
}
