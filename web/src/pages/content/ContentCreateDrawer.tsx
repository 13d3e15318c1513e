import { useEffect } from 'react';
import { Button, Divider, Drawer, Form, Radio, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { contentApi } from './api';
import { contentKeys } from './queries';
import type { Campaign, ContentItem, CustomField, Stage } from '../../api/types';
import { useSession } from '../../auth/session';
import { useApiMutation } from '../../lib/useApiMutation';
import { ContentFieldItems, toContentInput, type ContentFormValues } from './ContentFields';
import { Checklist } from './Checklist';
import { useCacheItem } from './hooks';
import { useLiveCheck } from './useLiveCheck';

type Values = ContentFormValues & { stage: Stage };

export function ContentCreateDrawer({
  open,
  startStage,
  campaigns,
  customFields,
  onClose,
  onCreated,
}: {
  open: boolean;
  /**
   * Where the server says this member's cards start (the board's `allowed.create_stage`): `topic`
   * for planners and editors (who may also start a draft), `draft` for operators.
   */
  startStage: Stage;
  campaigns: Campaign[];
  customFields: CustomField[];
  onClose: () => void;
  onCreated: (item: ContentItem) => void;
}) {
  const { t } = useTranslation();
  const { wsId, me } = useSession();
  const cacheItem = useCacheItem();
  const [form] = Form.useForm<Values>();
  const stage = Form.useWatch('stage', form) ?? startStage;
  const operatorOnly = startStage === 'draft';
  const checks = useLiveCheck(form, open);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({ stage: startStage, hashtags: [], media: [], tags: [], custom: {} });
  }, [open, startStage, form]);

  const create = useApiMutation({
    mutationFn: (v: Values) => contentApi.create(wsId, { ...toContentInput(v), stage: v.stage }),
    form,
    success: (item) => (item.stage === 'topic' ? t('content:topicCreated') : t('content:draftCreated')),
    invalidate: [contentKeys.board(wsId)],
    onSuccess: (item) => {
      cacheItem(item);
      onCreated(item);
    },
  });

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={600}
      title={operatorOnly ? t('content:newDraft') : t('content:newTopic')}
      destroyOnHidden
      data-testid="content-create-drawer"
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="content-create-save">
            {t('common.create')}
          </Button>
        </Space>
      }
    >
      <Form<Values> form={form} layout="vertical" name="content-create" onFinish={(v) => create.mutate(v)} scrollToFirstError>
        {!operatorOnly && (
          <Form.Item name="stage" label={t('content:fields.stage')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'topic', label: t('stages.topic') },
                { value: 'draft', label: t('stages.draft') },
              ]}
            />
          </Form.Item>
        )}
        {operatorOnly && (
          <Form.Item name="stage" hidden>
            <input />
          </Form.Item>
        )}
        <ContentFieldItems
          campaigns={campaigns}
          customFields={customFields}
          locked={false}
          accountRequired={stage === 'draft'}
          accountOwner={operatorOnly ? me.user.id : undefined}
        />
      </Form>
      {checks && (
        <>
          <Divider titlePlacement="start">{t('content:checks.title')}</Divider>
          <Checklist checks={checks.checks} title={checks.title} body={checks.body} />
        </>
      )}
    </Drawer>
  );
}
