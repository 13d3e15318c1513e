/**
 * Names KOX gives things until a workspace renames them: board columns, the default platforms
 * and the built-in red lines' note. The server stores them in Chinese (the product's first
 * language); a name still equal to its default was never renamed and shows in the UI's
 * language, while a name the team chose shows as they wrote it.
 */

/** The server's default column names (`Stage::default_name`). */
const STAGE_DEFAULTS: Record<string, string> = {
  topic: '选题',
  draft: '稿件',
  review: '审核',
  publish: '发布',
  retro: '复盘',
  cancelled: '已取消',
};

/** The platforms a new workspace starts with (`DEFAULT_PLATFORMS`). */
const PLATFORM_DEFAULTS: Record<string, string> = {
  xiaohongshu: '小红书',
  douyin: '抖音',
  weibo: '微博',
  bilibili: 'B站',
  wechat_channels: '视频号',
  kuaishou: '快手',
  zhihu: '知乎',
  dongchedi: '懂车帝',
  autohome: '汽车之家',
};

/** The note of the built-in advertising-law red lines. */
const RED_LINE_NOTE_DEFAULT = '广告法极限词';

/** The custom fields the demo workspace starts with (`kox demo`), by key. */
const DEMO_FIELD_DEFAULTS: Record<string, string> = {
  cooperation_level: '合作等级',
  contract_until: '合约到期',
  verified: '平台认证',
  owner: '战役负责人',
};

type Translate = (key: string) => string;

export function stageName(stage: string, stored: string | null | undefined, t: Translate): string {
  return !stored || stored === STAGE_DEFAULTS[stage] ? t(`stages.${stage}`) : stored;
}

export function platformName(code: string, stored: string | null | undefined, t: Translate): string {
  if (!stored) return PLATFORM_DEFAULTS[code] ? t(`platformNames.${code}`) : code;
  return stored === PLATFORM_DEFAULTS[code] ? t(`platformNames.${code}`) : stored;
}

export function redLineNote(stored: string, t: Translate): string {
  return stored === RED_LINE_NOTE_DEFAULT ? t('redLineNotes.builtin') : stored;
}

export function fieldLabel(key: string, stored: string, t: Translate): string {
  return DEMO_FIELD_DEFAULTS[key] === stored ? t(`demoFields.${key}`) : stored;
}
