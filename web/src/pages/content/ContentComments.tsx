import { useState } from 'react';
import { Button, Empty, List, Mentions, Space, Spin, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { contentApi } from './api';
import { contentKeys } from './queries';
import { useMembers } from '../members/queries';
import { useSession } from '../../auth/session';
import { formatTime } from '../../components/events';
import { useApiMutation } from '../../lib/useApiMutation';
import { mentionedIds, mentionSegments } from './board';

/** Comment thread of one item; `@name` mentions of members are sent as ids and highlighted. */
export function ContentComments({ itemId, canComment }: { itemId: number; canComment: boolean }) {
  const { t } = useTranslation();
  const { wsId } = useSession();
  const members = useMembers(wsId);
  const [text, setText] = useState('');
  const key = [...contentKeys.item(wsId, itemId), 'comments'];
  const comments = useQuery({ queryKey: key, queryFn: () => contentApi.comments(wsId, itemId) });
  const names = (members.data ?? []).map((m) => m.name);

  const send = useApiMutation({
    mutationFn: (body: string) => contentApi.comment(wsId, itemId, { body, mentions: mentionedIds(body, members.data ?? []) }),
    invalidate: [key, contentKeys.board(wsId)],
    onSuccess: () => setText(''),
  });

  return (
    <div data-testid="content-comments">
      {comments.isLoading ? (
        <Spin />
      ) : (comments.data ?? []).length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('content:comments.empty')} />
      ) : (
        <List
          size="small"
          dataSource={comments.data ?? []}
          renderItem={(c) => (
            <List.Item data-testid="comment-item">
              <div style={{ width: '100%' }}>
                <Space>
                  <Typography.Text strong>{c.author_name ?? t('common.system')}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(c.created_at)}
                  </Typography.Text>
                </Space>
                <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {mentionSegments(c.body, names).map((s, i) =>
                    s.mention ? (
                      <span key={i} className="kox-mention" data-testid="comment-mention">
                        {s.text}
                      </span>
                    ) : (
                      <span key={i}>{s.text}</span>
                    ),
                  )}
                </div>
              </div>
            </List.Item>
          )}
        />
      )}
      {canComment && (
        <div style={{ marginTop: 12 }}>
          <Mentions
            aria-label={t('content:comments.placeholder')}
            placeholder={t('content:comments.placeholder')}
            autoSize={{ minRows: 2, maxRows: 6 }}
            value={text}
            onChange={setText}
            options={(members.data ?? []).map((m) => ({ value: m.name, label: m.name, key: String(m.user_id) }))}
            data-testid="comment-input"
          />
          <Button
            type="primary"
            style={{ marginTop: 8 }}
            disabled={!text.trim()}
            loading={send.isPending}
            onClick={() => send.mutate(text.trim())}
            data-testid="comment-send"
          >
            {t('content:comments.send')}
          </Button>
        </div>
      )}
    </div>
  );
}
