import { useEffect, useState, type ReactNode } from 'react';
import { Button, Form, Input, Modal, Popconfirm, Space, Switch, Tooltip } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contentApi } from './api';
import { contentKeys } from './queries';
import type { ContentItem, ContentMove, ContentReviewAction, ItemAction, Stage } from '../../api/types';
import { useSession } from '../../auth/session';
import { useApiMutation } from '../../lib/useApiMutation';
import { AccountSelect } from './AccountSelect';
import { ReasonModal } from './ReasonModal';
import { PublishPackModal } from './PublishPackModal';
import { useCacheItem } from './hooks';
import { offers } from './permissions';

type Dialog = 'reject' | 'override' | 'drafts' | 'pack' | null;

/** The buttons of the item's current SOP stage: the steps the server offers this member, no others. */
export function ItemActions({
  item,
  draftOwner,
  onDeleted,
  beforeStep = () => Promise.resolve(true),
  openDrafts = false,
  onDraftsOpened,
}: {
  item: ContentItem;
  /** Drafts are made for this member's accounts only (operators). */
  draftOwner: number | undefined;
  onDeleted: () => void;
  /** Runs before a stage action (saves the details form's unsaved edits); false stops the action. */
  beforeStep?: () => Promise<boolean>;
  /** Open the 生成稿件 picker now (a topic dropped on 稿件), if the server offers the step. */
  openDrafts?: boolean;
  onDraftsOpened?: () => void;
}) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const queryClient = useQueryClient();
  const cacheItem = useCacheItem();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [draftAccounts, setDraftAccounts] = useState<number[]>([]);

  const touched = [contentKeys.board(wsId), contentKeys.item(wsId, item.id)];
  // A refused step usually means the item moved on elsewhere: show where it is now.
  const refresh = () => {
    for (const queryKey of touched) void queryClient.invalidateQueries({ queryKey });
  };

  const review = useApiMutation({
    mutationFn: (body: ContentReviewAction) => contentApi.review(wsId, item.id, body),
    success: (_, body) => t(`content:review.done.${body.action}`),
    invalidate: touched,
    onSuccess: (updated) => {
      cacheItem(updated);
      setDialog(null);
    },
    onError: refresh,
  });
  const move = useApiMutation({
    mutationFn: (body: ContentMove) => contentApi.move(wsId, item.id, body),
    success: t('content:moved'),
    invalidate: touched,
    onSuccess: cacheItem,
    onError: refresh,
  });
  const drafts = useApiMutation({
    mutationFn: (ids: number[]) => contentApi.drafts(wsId, item.id, ids),
    success: (created) => t('content:draftsCreated', { count: created.length }),
    invalidate: touched,
    onSuccess: (created) => {
      created.forEach(cacheItem);
      setDialog(null);
      setDraftAccounts([]);
    },
  });
  const remove = useApiMutation({
    mutationFn: () => contentApi.remove(wsId, item.id),
    success: t('content:deleted'),
    invalidate: [contentKeys.board(wsId)],
    onSuccess: onDeleted,
    onError: refresh,
  });

  // Every step of the workflow goes through this: it acts on what is stored, never on a form
  // whose edits are still only on screen.
  const step = (run: () => void) => {
    void beforeStep().then((ok) => {
      if (ok) run();
    });
  };
  const reviewStep = (body: ContentReviewAction) => step(() => review.mutate(body));
  const moveStep = (body: ContentMove) => step(() => move.mutate(body));

  const can = (action: ItemAction) => offers(item.allowed, action);
  useEffect(() => {
    if (!openDrafts) return;
    if (offers(item.allowed, 'create_drafts')) setDialog('drafts');
    onDraftsOpened?.();
  }, [openDrafts, item.allowed, onDraftsOpened]);
  // Moves out of the column; the board offers the same ones by drag and drop.
  const canMoveTo = (stage: Stage) => stage !== item.stage && item.allowed.moves.includes(stage);
  const buttons: ReactNode[] = [];

  if (can('create_drafts')) {
    buttons.push(
      <Button key="drafts" type="primary" onClick={() => step(() => setDialog('drafts'))} data-testid="action-make-drafts">
        {t('content:actions.makeDrafts')}
      </Button>,
    );
  }
  if (can('submit')) {
    buttons.push(
      <Button key="submit" type="primary" loading={review.isPending} onClick={() => reviewStep({ action: 'submit' })} data-testid="action-submit">
        {item.review_state === 'rejected' ? t('content:actions.resubmit') : t('content:actions.submit')}
      </Button>,
    );
  }
  if (item.stage === 'draft' && canMoveTo('publish')) {
    buttons.push(
      <Button
        key="to-publish"
        // The main step when there is no review to submit to.
        type={can('submit') ? 'default' : 'primary'}
        loading={move.isPending}
        onClick={() => moveStep({ stage: 'publish', after_id: null })}
        data-testid="action-to-publish"
      >
        {t('content:actions.toPublish')}
      </Button>,
    );
  }
  if (can('approve')) {
    // Offered while red lines block, but only a forced approval (with a reason) gets past them.
    const blocked = item.checks.blocking;
    buttons.push(
      <Tooltip key="approve" title={blocked ? t('content:review.blockedHint') : undefined}>
        <Button
          type="primary"
          disabled={blocked}
          loading={review.isPending && review.variables?.action === 'approve'}
          onClick={() => reviewStep({ action: 'approve' })}
          data-testid="action-approve"
        >
          {t('content:actions.approve')}
        </Button>
      </Tooltip>,
    );
  }
  if (can('reject')) {
    buttons.push(
      <Button key="reject" danger onClick={() => step(() => setDialog('reject'))} data-testid="action-reject">
        {t('content:actions.reject')}
      </Button>,
    );
  }
  if (can('override')) {
    buttons.push(
      <Button key="override" onClick={() => step(() => setDialog('override'))} data-testid="action-override">
        {t('content:actions.override')}
      </Button>,
    );
  }
  if (can('withdraw')) {
    buttons.push(
      <Button
        key="withdraw"
        loading={review.isPending && review.variables?.action === 'withdraw'}
        onClick={() => reviewStep({ action: 'withdraw' })}
        data-testid="action-withdraw"
      >
        {t('content:actions.withdraw')}
      </Button>,
    );
  }
  if (can('publish')) {
    buttons.push(
      <Button key="pack" type="primary" onClick={() => step(() => setDialog('pack'))} data-testid="action-publish-pack">
        {t('content:actions.publishPack')}
      </Button>,
    );
  }
  if (item.stage === 'publish' && canMoveTo('draft')) {
    buttons.push(
      <Popconfirm key="pull" title={t('content:actions.pullBackConfirm')} onConfirm={() => moveStep({ stage: 'draft', after_id: null })}>
        <Button data-testid="action-pull-back">{t('content:actions.pullBack')}</Button>
      </Popconfirm>,
    );
  }
  if (item.stage === 'cancelled' && canMoveTo('topic')) {
    buttons.push(
      <Button key="restore" onClick={() => moveStep({ stage: 'topic', after_id: null })} data-testid="action-restore">
        {t('content:actions.restore')}
      </Button>,
    );
  }
  if (canMoveTo('cancelled')) {
    buttons.push(
      <Popconfirm key="cancel" title={t('content:actions.cancelConfirm')} onConfirm={() => moveStep({ stage: 'cancelled', after_id: null })}>
        <Button danger type="text" data-testid="action-cancel">
          {t('content:actions.cancel')}
        </Button>
      </Popconfirm>,
    );
  }
  // Only never-reviewed items can be deleted (the server offers it so); later ones are cancelled so their records stay.
  if (can('delete')) {
    buttons.push(
      <Popconfirm key="delete" title={t('content:actions.deleteConfirm')} onConfirm={() => remove.mutate()}>
        <Button danger type="text" data-testid="action-delete">
          {t('common.delete')}
        </Button>
      </Popconfirm>,
    );
  }

  return (
    <>
      {buttons.length > 0 && (
        <Space wrap data-testid="item-actions">
          {buttons}
        </Space>
      )}
      <ReasonModal
        open={dialog === 'reject'}
        title={t('content:actions.reject')}
        okText={t('content:actions.reject')}
        danger
        loading={review.isPending}
        onOk={(reason) => review.mutate({ action: 'reject', reason })}
        onCancel={() => setDialog(null)}
        testId="reject-modal"
      />
      <ReasonModal
        open={dialog === 'override'}
        title={t('content:actions.override')}
        okText={t('content:actions.override')}
        hint={t('content:review.overrideHint')}
        danger
        loading={review.isPending}
        onOk={(reason) => review.mutate({ action: 'override', reason })}
        onCancel={() => setDialog(null)}
        testId="override-modal"
      />
      <Modal
        open={dialog === 'drafts'}
        title={t('content:actions.makeDrafts')}
        okText={t('content:actions.makeDraftsOk')}
        okButtonProps={{ disabled: draftAccounts.length === 0, loading: drafts.isPending }}
        onOk={() => drafts.mutate(draftAccounts)}
        onCancel={() => setDialog(null)}
        destroyOnHidden
      >
        <p>{t('content:makeDraftsHelp')}</p>
        <AccountSelect
          mode="multiple"
          owner={draftOwner}
          aria-label={t('content:fields.account_id')}
          style={{ width: '100%' }}
          value={draftAccounts}
          onChange={(v) => setDraftAccounts(Array.isArray(v) ? v : [])}
        />
      </Modal>
      {item.stage === 'publish' && (
        <PublishPackModal item={item} open={dialog === 'pack'} canPublish={can('publish')} onClose={() => setDialog(null)} />
      )}
    </>
  );
}

/** The retro note form of an item in 复盘 (closes the card). */
export function RetroForm({ item }: { item: ContentItem }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const cacheItem = useCacheItem();
  const [form] = Form.useForm<{ note: string; reuse_topic: boolean }>();
  const save = useApiMutation({
    mutationFn: (v: { note: string; reuse_topic: boolean }) => contentApi.retro(wsId, item.id, { note: v.note.trim(), reuse_topic: !!v.reuse_topic }),
    success: t('content:retro.done'),
    onSuccess: cacheItem,
    invalidate: [contentKeys.board(wsId), contentKeys.item(wsId, item.id)],
  });
  return (
    <Form form={form} layout="vertical" name="retro" initialValues={{ reuse_topic: false }} onFinish={(v) => save.mutate(v)} data-testid="retro-form">
      <Form.Item name="note" label={t('content:fields.retro_note')} rules={[{ required: true, whitespace: true, message: t('content:validation.retroNote') }]}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} placeholder={t('content:retro.placeholder')} />
      </Form.Item>
      <Form.Item name="reuse_topic" label={t('content:fields.reuse_topic')} valuePropName="checked">
        <Switch checkedChildren={t('common.yes')} unCheckedChildren={t('common.no')} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="retro-submit">
        {t('content:retro.submit')}
      </Button>
    </Form>
  );
}
