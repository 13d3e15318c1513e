import { describe, expect, it } from 'vitest';
import { fieldLabel, platformName, redLineNote, stageName } from './builtinNames';

const en = (key: string) => `en:${key}`;

describe('built-in names', () => {
  it('shows a never-renamed column in the UI language and a renamed one as written', () => {
    expect(stageName('topic', '选题', en)).toBe('en:stages.topic');
    expect(stageName('topic', null, en)).toBe('en:stages.topic');
    expect(stageName('topic', '灵感池', en)).toBe('灵感池');
    // A default name of another column is a rename.
    expect(stageName('draft', '选题', en)).toBe('选题');
  });
  it('does the same for the default platforms and the built-in red-line note', () => {
    expect(platformName('xiaohongshu', '小红书', en)).toBe('en:platformNames.xiaohongshu');
    expect(platformName('xiaohongshu', '小红书 RED', en)).toBe('小红书 RED');
    expect(platformName('toutiao', '今日头条', en)).toBe('今日头条');
    expect(redLineNote('广告法极限词', en)).toBe('en:redLineNotes.builtin');
    expect(redLineNote('品牌红线', en)).toBe('品牌红线');
    expect(fieldLabel('cooperation_level', '合作等级', en)).toBe('en:demoFields.cooperation_level');
    expect(fieldLabel('cooperation_level', '合作深度', en)).toBe('合作深度');
  });
});
