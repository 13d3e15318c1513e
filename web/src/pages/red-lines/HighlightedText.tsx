import type { CSSProperties } from 'react';
import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RedLineHit } from '../../api/types';
import { highlightSegments } from './highlight';
import { redLineNote } from '../../lib/builtinNames';

const MARK_STYLE: Record<RedLineHit['severity'], CSSProperties> = {
  block: { background: '#ffccc7', color: '#a8071a', padding: '0 1px', borderRadius: 2 },
  warn: { background: '#ffe7ba', color: '#873800', padding: '0 1px', borderRadius: 2 },
};

/** `text` with each red-line hit wrapped in a <mark> (offsets in characters, as the API reports them). */
export function HighlightedText({ text, hits }: { text: string; hits: readonly RedLineHit[] }) {
  const { t } = useTranslation();
  return (
    <>
      {highlightSegments(text, hits).map((seg, i) =>
        seg.hit ? (
          <Tooltip
            key={i}
            title={[t(`severity.${seg.hit.severity}`), seg.hit.phrase, seg.hit.note && redLineNote(seg.hit.note, t)].filter(Boolean).join(' · ')}
          >
            <mark data-severity={seg.hit.severity} style={MARK_STYLE[seg.hit.severity]}>
              {seg.text}
            </mark>
          </Tooltip>
        ) : (
          <span key={i}>{seg.text}</span>
        ),
      )}
    </>
  );
}
