import { describe, expect, it } from 'vitest';
import { charCount, highlightSegments } from './highlight';

const hit = (start: number, end: number, phrase = '') => ({ start, end, phrase });
const render = (text: string, hits: { start: number; end: number; phrase: string }[]) =>
  highlightSegments(text, hits)
    .map((s) => (s.hit ? `[${s.text}]` : s.text))
    .join('');

describe('highlightSegments', () => {
  it('marks a hit by character offsets', () => {
    expect(render('全网最低价，快来', [hit(2, 5)])).toBe('全网[最低价]，快来');
  });

  it('counts an emoji before the hit as one character', () => {
    // '🔥' is two UTF-16 units but one code point: String.slice would cut the hit one character early.
    const text = '🔥秒杀全网！';
    expect(text.slice(1, 5)).not.toBe('秒杀全网');
    expect(render(text, [hit(1, 5)])).toBe('🔥[秒杀全网]！');
    const segs = highlightSegments(text, [hit(1, 5, '秒杀全网')]);
    expect(segs.map((s) => s.text)).toEqual(['🔥', '秒杀全网', '！']);
    expect(segs[1].hit?.phrase).toBe('秒杀全网');
  });

  it('handles several emoji and a hit at both ends', () => {
    expect(render('第一👍👍国家级', [hit(4, 7), hit(0, 2)])).toBe('[第一]👍👍[国家级]');
  });

  it('keeps the text intact and unmarked without hits', () => {
    expect(highlightSegments('普通文案', [])).toEqual([{ text: '普通文案' }]);
    expect(highlightSegments('', [hit(0, 2)])).toEqual([]);
  });

  it('clips overlapping hits and clamps offsets outside the text', () => {
    expect(render('最高级最佳', [hit(0, 3), hit(2, 5)])).toBe('[最高级][最佳]');
    expect(render('最佳', [hit(1, 10)])).toBe('最[佳]');
    expect(render('最佳', [hit(1, 1), hit(5, 8)])).toBe('最佳');
    // A hit inside an earlier, longer one adds nothing.
    expect(render('全网最低价', [hit(0, 5), hit(2, 4)])).toBe('[全网最低价]');
  });

  it('joins back to the original text', () => {
    const text = '✨限时秒杀全网最低，👉点击购买';
    const segs = highlightSegments(text, [hit(3, 7), hit(7, 9), hit(11, 13)]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
  });
});

describe('charCount', () => {
  it('counts code points', () => {
    expect(charCount('小红书')).toBe(3);
    expect(charCount('🔥🔥ok')).toBe(4);
  });
});
