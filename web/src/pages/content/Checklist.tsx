import { Alert, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ContentChecks, RedLineHit } from '../../api/types';
import { highlightSegments } from './board';
import { redLineNote } from '../../lib/builtinNames';

/** The text with every red-line hit marked (`start`/`end` are character offsets). */
export function HighlightedText({ text, hits, testId }: { text: string; hits: RedLineHit[]; testId?: string }) {
  const { t } = useTranslation();
  const segments = highlightSegments(text, hits);
  return (
    <pre className="kox-text-preview" data-testid={testId}>
      {segments.map((s, i) =>
        s.hits.length ? (
          <mark
            key={i}
            className={s.hits.some((h) => h.severity === 'block') ? 'kox-mark' : 'kox-mark kox-mark-warn'}
            title={s.hits.map((h) => `${t(`severity.${h.severity}`)}：${h.phrase}${h.note ? ` — ${redLineNote(h.note, t)}` : ''}`).join('\n')}
            data-testid="red-line-mark"
          >
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </pre>
  );
}

function countText(count: number, max: number | null | undefined): string {
  return max === null || max === undefined ? String(count) : `${count}/${max}`;
}

/** Everything the checks found, with the offending words highlighted in the title and body. */
export function Checklist({ checks, title, body }: { checks: ContentChecks; title: string; body: string }) {
  const { t } = useTranslation();
  const titleHits = checks.red_lines.filter((h) => h.field === 'title');
  const bodyHits = checks.red_lines.filter((h) => h.field === 'body');
  const over = new Set(checks.over_length.map((o) => o.field));
  const clean =
    checks.red_lines.length === 0 && checks.missing_hashtags.length === 0 && checks.over_length.length === 0 && !checks.media_missing;

  return (
    <div data-testid="content-checks">
      <Space size="large" wrap style={{ marginBottom: 8 }}>
        <Typography.Text type={over.has('title') ? 'danger' : 'secondary'} data-testid="check-title-count">
          {t('content:checks.titleCount', { count: countText(checks.title_count, checks.title_max) })}
        </Typography.Text>
        <Typography.Text type={over.has('body') ? 'danger' : 'secondary'} data-testid="check-body-count">
          {t('content:checks.bodyCount', { count: countText(checks.body_count, checks.body_max) })}
        </Typography.Text>
      </Space>
      {clean ? (
        <Alert type="success" showIcon title={t('content:checks.clean')} data-testid="checks-clean" />
      ) : (
        <Space orientation="vertical" style={{ width: '100%' }}>
          {checks.red_lines.length > 0 && (
            <Alert
              type={checks.blocking ? 'error' : 'warning'}
              showIcon
              data-testid="checks-red-lines"
              title={
                checks.blocking
                  ? t('content:checks.redLinesBlocking', { count: checks.red_lines.length })
                  : t('content:checks.redLines', { count: checks.red_lines.length })
              }
              description={
                <>
                  <List
                    size="small"
                    dataSource={checks.red_lines}
                    renderItem={(h) => (
                      <List.Item style={{ padding: '4px 0' }}>
                        <Space wrap>
                          <Tag color={h.severity === 'block' ? 'red' : 'gold'}>{t(`severity.${h.severity}`)}</Tag>
                          <Typography.Text strong>{h.phrase}</Typography.Text>
                          <Typography.Text type="secondary">{t(`content:fields.${h.field}`)}</Typography.Text>
                          {h.note && <Typography.Text type="secondary">{redLineNote(h.note, t)}</Typography.Text>}
                        </Space>
                      </List.Item>
                    )}
                  />
                  {titleHits.length > 0 && (
                    <>
                      <Typography.Text type="secondary">{t('content:fields.title')}</Typography.Text>
                      <HighlightedText text={title} hits={titleHits} testId="highlight-title" />
                    </>
                  )}
                  {bodyHits.length > 0 && (
                    <>
                      <Typography.Text type="secondary">{t('content:fields.body')}</Typography.Text>
                      <HighlightedText text={body} hits={bodyHits} testId="highlight-body" />
                    </>
                  )}
                </>
              }
            />
          )}
          {checks.missing_hashtags.length > 0 && (
            <Alert
              type="warning"
              showIcon
              data-testid="checks-hashtags"
              title={t('content:checks.missingHashtags')}
              description={
                <Space size={[0, 4]} wrap>
                  {checks.missing_hashtags.map((h) => (
                    <Tag key={h}>#{h}#</Tag>
                  ))}
                </Space>
              }
            />
          )}
          {checks.over_length.map((o) => (
            <Alert
              key={o.field}
              type="warning"
              showIcon
              data-testid={`checks-over-${o.field}`}
              title={t('content:checks.overLength', { field: t(`content:fields.${o.field}`), count: `${o.count}/${o.max}` })}
            />
          ))}
          {checks.media_missing && <Alert type="warning" showIcon data-testid="checks-media" title={t('content:checks.mediaMissing')} />}
        </Space>
      )}
    </div>
  );
}
