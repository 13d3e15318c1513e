import { useCallback, useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Descriptions, Divider, Drawer, Form, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contentApi } from './api';
import { contentKeys } from './queries';
import type { Campaign, ContentItem, ContentSettings, CustomField, ReviewRecord } from '../../api/types';
import { useSession } from '../../auth/session';
import { ConflictAlert } from '../../components/ConflictAlert';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { changedFields } from '../../lib/diff';
import { useApiMutation } from '../../lib/useApiMutation';
import { Checklist } from './Checklist';
import { ContentComments } from './ContentComments';
import { ContentFieldItems, toContentInput, toFormValues, type ContentFormValues } from './ContentFields';
import { ContentHistory } from './ContentHistory';
import { ReviewStateTag } from './ContentCardView';
import { useCacheItem } from './hooks';
import { ItemActions, RetroForm } from './ItemActions';
import { ReviewRecords } from './ReviewRecords';
import { contentFieldLabel } from './labels';
import { offers } from './permissions';
import { useLiveCheck } from './useLiveCheck';
import { ItemSchedule, ScheduleRefusal } from '../calendar/ItemSchedule';
import { ItemMetricsTab } from '../metrics/ItemMetricsTab';
import { GradeTag } from '../metrics/GradeTag';
import { conflictsOfError } from '../calendar/conflictText';
import type { Conflict } from '../calendar/types';

type ApprovalSettings = NonNullable<ContentSettings['approval']>;

/** The details form's edits that are not saved yet, as the drawer sees them. */
interface PendingEdits {
  dirty: () => boolean;
  /** Saves them with the usual version check; false when the save failed (the form shows why). */
  save: () => Promise<boolean>;
}

/** Latest record with the given decision (records come oldest first). */
function latest(records: ReviewRecord[], decision: ReviewRecord['decision']): ReviewRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) if (records[i].decision === decision) return records[i];
  return undefined;
}

function DetailsForm({
  item,
  campaigns,
  customFields,
  register,
}: {
  item: ContentItem;
  campaigns: Campaign[];
  customFields: CustomField[];
  /** Tells the drawer how to find and save this form's unsaved edits. */
  register: (edits: PendingEdits | null) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { wsId } = useSession();
  const cacheItem = useCacheItem();
  const [form] = Form.useForm<ContentFormValues>();
  const [base, setBase] = useState<ContentItem>(item);
  const canWrite = offers(item.allowed, 'edit');
  const locked = item.allowed.content_locked;
  const live = useLiveCheck(form, canWrite && !locked);
  // A planned time the schedule rules refuse (409 calendar.conflict): its reasons, under the form.
  const [refused, setRefused] = useState<{ conflicts: Conflict[]; at: string | null }>({ conflicts: [], at: null });

  const save = useApiMutation({
    mutationFn: async (values: ContentFormValues) => {
      const prev = toContentInput(toFormValues(base));
      const patch = changedFields(prev, toContentInput(values));
      if (Object.keys(patch).length === 0) return base;
      return contentApi.update(wsId, base.id, { ...patch, version: base.version });
    },
    form,
    conflictAlert: true,
    success: t('content:saved'),
    onError: (err) => setRefused({ conflicts: conflictsOfError(err), at: toContentInput(form.getFieldsValue(true) as ContentFormValues).planned_at ?? null }),
    onSuccess: (saved) => {
      setRefused({ conflicts: [], at: null });
      setBase(saved);
      form.resetFields();
      form.setFieldsValue(toFormValues(saved));
      cacheItem(saved);
    },
    invalidate: (saved) => [contentKeys.board(wsId), [...contentKeys.item(wsId, saved.id), 'history']],
  });
  const { conflict, clearConflict } = save;

  // What is typed but not stored: stage actions save it first, closing asks (see the drawer).
  const { mutateAsync } = save;
  useEffect(() => {
    if (!canWrite) return undefined;
    const patchOf = () => changedFields(toContentInput(toFormValues(base)), toContentInput(form.getFieldsValue(true) as ContentFormValues));
    register({
      dirty: () => Object.keys(patchOf()).length > 0,
      save: async () => {
        try {
          await mutateAsync(await form.validateFields());
          return true;
        } catch {
          return false;
        }
      },
    });
    return () => register(null);
  }, [canWrite, base, form, mutateAsync, register]);

  // Follow changes made elsewhere (another tab, another person) unless this form has unsaved edits.
  useEffect(() => {
    if (item.version !== base.version && !form.isFieldsTouched()) {
      setBase(item);
      form.resetFields();
      form.setFieldsValue(toFormValues(item));
      clearConflict();
    }
  }, [item, base, form, clearConflict]);

  const reloadLatest = async () => {
    try {
      const fresh = await contentApi.get(wsId, base.id);
      cacheItem(fresh);
      setBase(fresh);
      form.resetFields();
      form.setFieldsValue(toFormValues(fresh));
      clearConflict();
    } catch (e) {
      void message.error(String(e));
    }
  };

  const shown = live ?? { checks: base.checks, title: base.title, body: base.body };
  return (
    <>
      {conflict && (
        <ConflictAlert
          fields={conflict}
          fieldLabel={(f) => contentFieldLabel(t, customFields, f)}
          bodyKey="content:conflictBody"
          onReload={() => void reloadLatest()}
        />
      )}
      <Divider titlePlacement="start" style={{ marginTop: 0 }}>
        {t('content:checks.title')}
      </Divider>
      <Checklist checks={shown.checks} title={shown.title} body={shown.body} />
      <Divider titlePlacement="start">{t('content:details')}</Divider>
      {locked && canWrite && <Alert type="info" showIcon title={t('content:lockedHint')} style={{ marginBottom: 16 }} />}
      <Form<ContentFormValues>
        form={form}
        layout="vertical"
        name="content-item"
        disabled={!canWrite}
        initialValues={toFormValues(item)}
        onFinish={(v) => save.mutate(v)}
        scrollToFirstError
      >
        <ContentFieldItems campaigns={campaigns} customFields={customFields} locked={locked} accountRequired={item.stage !== 'topic'} />
        <ScheduleRefusal conflicts={refused.conflicts} at={refused.at} />
        {canWrite && (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="content-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </>
  );
}

export function ContentItemDrawer({
  itemId,
  draftOwner,
  openDrafts = false,
  onDraftsOpened,
  approval,
  stageName,
  campaigns,
  customFields,
  onClose,
}: {
  itemId: number | null;
  /** Drafts made from a topic are for this member's accounts only (operators). */
  draftOwner: number | undefined;
  /** Open on the 生成稿件 picker (a topic dropped on 稿件); `onDraftsOpened` says it did. */
  openDrafts?: boolean;
  onDraftsOpened?: () => void;
  approval: ApprovalSettings | undefined;
  stageName: (stage: string) => string;
  campaigns: Campaign[];
  customFields: CustomField[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const { wsId } = useSession();
  const open = itemId !== null;
  const id = itemId ?? 0;
  const [tab, setTab] = useState('details');
  const edits = useRef<PendingEdits | null>(null);
  const register = useCallback((e: PendingEdits | null) => {
    edits.current = e;
  }, []);
  // A stage action takes the text as stored: unsaved edits are saved first, or the step waits.
  const beforeStep = useCallback(async () => {
    const e = edits.current;
    if (!e?.dirty()) return true;
    const saved = await e.save();
    if (saved) void message.info(t('content:unsaved.savedFirst'));
    return saved;
  }, [message, t]);
  const requestClose = () => {
    const e = edits.current;
    if (!e?.dirty()) {
      onClose();
      return;
    }
    const asked = modal.confirm({
      title: t('content:unsaved.title'),
      content: t('content:unsaved.body'),
      okText: t('content:unsaved.save'),
      cancelText: t('content:unsaved.stay'),
      footer: (_, { OkBtn, CancelBtn }) => (
        <>
          <Button
            danger
            data-testid="unsaved-discard"
            onClick={() => {
              asked.destroy();
              onClose();
            }}
          >
            {t('content:unsaved.discard')}
          </Button>
          <CancelBtn />
          <OkBtn />
        </>
      ),
      onOk: async () => {
        if (await e.save()) onClose();
      },
    });
  };
  // Leaving or reloading the page with unsaved edits asks first (the browser's own prompt).
  useEffect(() => {
    if (!open) return undefined;
    const warn = (ev: BeforeUnloadEvent) => {
      if (edits.current?.dirty()) ev.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [open]);

  const item = useQuery({ queryKey: contentKeys.item(wsId, id), queryFn: () => contentApi.get(wsId, id), enabled: open });
  const reviews = useQuery({
    queryKey: [...contentKeys.item(wsId, id), 'reviews'],
    queryFn: () => contentApi.reviews(wsId, id),
    enabled: open,
  });
  const history = useQuery({
    queryKey: [...contentKeys.item(wsId, id), 'history'],
    queryFn: () => contentApi.history(wsId, id),
    enabled: open && tab === 'history',
  });

  useEffect(() => {
    if (open) setTab('details');
  }, [open, itemId]);

  const it = item.data;
  const records = reviews.data ?? [];
  const rejected = it && it.stage === 'draft' && it.review_state === 'rejected' ? latest(records, 'rejected') : undefined;
  const pending = it?.stage === 'review' ? latest(records, 'pending') : undefined;
  const step = it && approval?.mode === 'multi_level' && it.stage === 'review' ? approval?.steps?.[it.review_step] : undefined;

  return (
    <Drawer
      open={open}
      onClose={requestClose}
      size={720}
      title={it ? it.title : t('content:detail')}
      data-testid="content-drawer"
      extra={
        it && (
          <Space>
            <Tag color="volcano" data-testid="item-stage">
              {stageName(it.stage)}
            </Tag>
            <ReviewStateTag state={it.review_state} />
            {it.grade && <GradeTag grade={it.grade} />}
          </Space>
        )
      }
    >
      {item.isLoading && <Spin />}
      {item.isError && <ErrorResult error={item.error} onRetry={() => void item.refetch()} />}
      {it && (
        <>
          {rejected && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="rejection-reason"
              title={t('content:review.rejectedBy', { name: rejected.approver_name ?? '—', time: formatTime(rejected.decided_at) })}
              description={rejected.reason}
            />
          )}
          {it.override_reason && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title={t('content:review.overridden')}
              description={it.override_reason}
              data-testid="override-reason"
            />
          )}
          {it.closed_at && (
            <Alert
              type="success"
              showIcon
              style={{ marginBottom: 16 }}
              data-testid="retro-note"
              title={t('content:retro.closedAt', { time: formatTime(it.closed_at) })}
              description={
                <>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{it.retro_note}</div>
                  {it.reuse_topic && <Tag color="green">{t('content:retro.reuse')}</Tag>}
                </>
              }
            />
          )}
          {it.stage === 'review' && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              title={
                step
                  ? t('content:review.waitingStep', { name: step.name, round: it.review_round })
                  : t('content:review.waiting', { name: pending?.requester_name ?? '—', round: it.review_round })
              }
            />
          )}
          <ItemSchedule item={it} />
          {(it.post_url || it.published_at) && (
            <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('content:fields.post_url')}>
                {it.post_url ? (
                  <Typography.Link href={it.post_url} target="_blank" rel="noreferrer" data-testid="item-post-url">
                    {it.post_url}
                  </Typography.Link>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('content:fields.published_at')}>{formatTime(it.published_at)}</Descriptions.Item>
            </Descriptions>
          )}
          <div style={{ marginBottom: 16 }}>
            <ItemActions
              item={it}
              draftOwner={draftOwner}
              onDeleted={onClose}
              beforeStep={beforeStep}
              openDrafts={openDrafts}
              onDraftsOpened={onDraftsOpened}
            />
          </div>
          {!it.closed_at && offers(it.allowed, 'retro') && (
            <>
              <Divider titlePlacement="start">{t('content:retro.title')}</Divider>
              <RetroForm item={it} />
            </>
          )}
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              {
                key: 'details',
                label: t('content:tabs.details'),
                children: <DetailsForm key={it.id} item={it} campaigns={campaigns} customFields={customFields} register={register} />,
              },
              {
                key: 'reviews',
                label: t('content:tabs.reviews', { count: records.length }),
                children: <ReviewRecords records={records} />,
              },
              { key: 'comments', label: t('content:tabs.comments'), children: <ContentComments itemId={it.id} canComment={offers(it.allowed, 'comment')} /> },
              // Rendered when first opened: the post's numbers are asked for then.
              { key: 'metrics', label: t('metrics:item.tab'), children: <ItemMetricsTab item={it} /> },
              {
                key: 'history',
                label: t('content:tabs.history'),
                children: history.isLoading ? <Spin /> : <ContentHistory events={history.data ?? []} customFields={customFields} />,
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
