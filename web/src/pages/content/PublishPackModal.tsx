import { useEffect } from 'react';
import { Alert, App, Button, DatePicker, Descriptions, Divider, Form, Input, Modal, Space, Spin, Tag, Typography } from 'antd';
import { CopyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { contentApi } from './api';
import { contentKeys } from './queries';
import { isApiError } from '../../api/client';
import type { ContentItem } from '../../api/types';
import { useSession } from '../../auth/session';
import { ErrorResult } from '../../components/ErrorResult';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';
import { useCacheItem } from './hooks';

interface PublishValues {
  post_url: string;
  published_at?: Dayjs | null;
  platform_post_id?: string;
}

const isUrl = (s: string) => /^https?:\/\//i.test(s);

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Everything an operator needs to post by hand, and the form that records the live post. */
export function PublishPackModal({
  item,
  open,
  canPublish,
  onClose,
}: {
  item: ContentItem;
  open: boolean;
  canPublish: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { wsId } = useSession();
  const cacheItem = useCacheItem();
  const [form] = Form.useForm<PublishValues>();

  const pack = useQuery({
    queryKey: [...contentKeys.item(wsId, item.id), 'publish-pack'],
    queryFn: () => contentApi.publishPack(wsId, item.id),
    enabled: open,
  });

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const publish = useApiMutation({
    mutationFn: (v: PublishValues) =>
      contentApi.publish(wsId, item.id, {
        post_url: v.post_url.trim(),
        published_at: v.published_at ? v.published_at.second(0).millisecond(0).toISOString().replace('.000Z', 'Z') : null,
        platform_post_id: v.platform_post_id?.trim() || null,
      }),
    form,
    success: t('content:publish.done'),
    invalidate: [contentKeys.board(wsId), contentKeys.item(wsId, item.id)],
    onSuccess: (published) => {
      cacheItem(published);
      onClose();
    },
    // A link of another platform: say which platform and what its links look like.
    onError: (err) => {
      if (isApiError(err) && err.code === 'content.post_url_platform' && pack.data) {
        const p = pack.data;
        const text = p.post_url_example
          ? t('content:publish.wrongPlatform', { platform: p.platform_name, example: p.post_url_example })
          : t('content:publish.wrongPlatformNoExample', { platform: p.platform_name });
        form.setFields([{ name: 'post_url', errors: [text] }]);
      }
    },
  });

  const onCopy = async (text: string) => {
    if (await copy(text)) void message.success(t('common.copied'));
    else void message.error(t('content:publish.copyFailed'));
  };

  const p = pack.data;
  const checks = p?.checks;
  const issues = checks ? checks.red_lines.length + checks.missing_hashtags.length + checks.over_length.length + (checks.media_missing ? 1 : 0) : 0;

  return (
    <Modal
      open={open}
      onCancel={onClose}
      width={760}
      title={t('content:publish.packTitle')}
      destroyOnHidden
      footer={
        canPublish ? (
          <Space>
            <Button onClick={onClose}>{t('common.close')}</Button>
            <Button type="primary" loading={publish.isPending} onClick={() => form.submit()} data-testid="publish-submit">
              {t('content:publish.submit')}
            </Button>
          </Space>
        ) : (
          <Button onClick={onClose}>{t('common.close')}</Button>
        )
      }
    >
      <div data-testid="publish-pack">
        {pack.isLoading && <Spin />}
        {pack.isError && <ErrorResult error={pack.error} onRetry={() => void pack.refetch()} />}
        {p && (
          <>
            <Descriptions column={2} size="small" bordered>
              <Descriptions.Item label={t('content:fields.account_id')}>
                <span data-testid="pack-account">
                  {p.account_name} @{p.account_handle}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('content:publish.platform')}>
                <span data-testid="pack-platform">{p.platform_name}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('content:fields.planned_at')} span={2}>
                {formatTime(p.planned_at)}
              </Descriptions.Item>
            </Descriptions>
            {issues > 0 && <Alert type="warning" showIcon style={{ marginTop: 12 }} title={t('content:publish.checksWarning', { count: issues })} />}
            <Divider titlePlacement="start">{t('content:publish.copyText')}</Divider>
            <pre className="kox-text-preview" data-testid="pack-copy-text">
              {p.copy_text}
            </pre>
            <Space style={{ marginTop: 8 }} wrap>
              <Button icon={<CopyOutlined />} onClick={() => void onCopy(p.copy_text)} data-testid="pack-copy">
                {t('content:publish.copyAll')}
              </Button>
              {p.hashtag_text && (
                <Button icon={<CopyOutlined />} onClick={() => void onCopy(p.hashtag_text)}>
                  {t('content:publish.copyHashtags')}
                </Button>
              )}
            </Space>
            {p.hashtags.length > 0 && (
              <div style={{ marginTop: 12 }}>
                <Typography.Text type="secondary">{t('content:fields.hashtags')}：</Typography.Text>
                <Space size={[0, 4]} wrap>
                  {p.hashtags.map((h) => (
                    <Tag key={h}>#{h}</Tag>
                  ))}
                </Space>
              </div>
            )}
            <div style={{ marginTop: 12 }}>
              <Typography.Text type="secondary">{t('content:fields.media')}：</Typography.Text>
              {p.media.length === 0 ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <ol style={{ margin: '4px 0 0', paddingLeft: 20 }} data-testid="pack-media">
                  {p.media.map((m, i) => (
                    <li key={i}>
                      {isUrl(m) ? (
                        <Typography.Link href={m} target="_blank" rel="noreferrer">
                          {m}
                        </Typography.Link>
                      ) : (
                        m
                      )}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </>
        )}
        {canPublish && (
          <>
            <Divider titlePlacement="start">{t('content:publish.record')}</Divider>
            <Form<PublishValues> form={form} layout="vertical" name="publish" onFinish={(v) => publish.mutate(v)}>
              <Form.Item
                name="post_url"
                label={t('content:fields.post_url')}
                extra={t('content:publish.urlHelp')}
                rules={[
                  { required: true, whitespace: true, message: t('content:validation.postUrl') },
                  { type: 'url', message: t('errors.url') },
                ]}
              >
                <Input placeholder={p?.post_url_example ?? 'https://'} />
              </Form.Item>
              {/* Top-aligned: the time's help text must not push its neighbour's label down. */}
              <Space wrap align="start" size="large">
                <Form.Item name="published_at" label={t('content:fields.published_at')} extra={t('content:publish.publishedAtHelp')}>
                  <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
                </Form.Item>
                <Form.Item name="platform_post_id" label={t('content:fields.platform_post_id')}>
                  <Input style={{ width: 220 }} />
                </Form.Item>
              </Space>
            </Form>
          </>
        )}
      </div>
    </Modal>
  );
}
