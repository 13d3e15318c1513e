import { describe, expect, it } from 'vitest';
import type { Channel } from '../../api/types';
import { channelDraft, channelPatch, channelTarget, channelValues, shortUrl, wecomKey, type ChannelValues } from './channelForm';

const stored = (kind: Channel['kind'], config: Channel['config'], secret_set = true): Channel => ({
  id: 5,
  name: '内容审核群',
  kind,
  config,
  secret_set,
  enabled: true,
  created_at: '2026-12-07T10:00:00Z',
  updated_at: '2026-12-07T10:00:00Z',
});

/** The form as a member fills it in: another kind's leftovers included. */
const form = (v: Partial<ChannelValues>): ChannelValues => ({
  name: ' 内容审核群 ',
  kind: 'feishu',
  enabled: true,
  url: ' https://open.feishu.cn/open-apis/bot/v2/hook/abc ',
  secret: ' s3cret ',
  smtp_host: 'smtp.exmail.qq.com',
  smtp_security: 'starttls',
  from: 'kox@brand.cn',
  to: [],
  ...v,
});

describe('the payload a new channel sends, per kind', () => {
  it('Feishu: webhook address and signing secret', () => {
    expect(channelDraft(form({ kind: 'feishu' }))).toEqual({
      name: '内容审核群',
      kind: 'feishu',
      enabled: true,
      config: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc' },
      secret: 's3cret',
    });
  });

  it('DingTalk: webhook address and signing secret', () => {
    const url = 'https://oapi.dingtalk.com/robot/send?access_token=t0k';
    expect(channelDraft(form({ kind: 'dingtalk', url, secret: 'SECabc' }))).toMatchObject({ kind: 'dingtalk', config: { url }, secret: 'SECabc' });
  });

  it('WeCom: the key, cut out of a pasted address; the address only when it is a proxy', () => {
    const pasted = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
    expect(channelDraft(form({ kind: 'wecom', url: '', secret: pasted }))).toEqual({
      name: '内容审核群',
      kind: 'wecom',
      enabled: true,
      config: {},
      secret: '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa',
    });
    expect(channelDraft(form({ kind: 'wecom', url: 'https://proxy.brand.cn/wecom', secret: 'abcdefgh' }))).toMatchObject({
      config: { url: 'https://proxy.brand.cn/wecom' },
      secret: 'abcdefgh',
    });
  });

  it('Webhook: address and secret, nothing of e-mail', () => {
    expect(channelDraft(form({ kind: 'webhook', url: 'https://hooks.brand.cn/kox', enabled: false }))).toEqual({
      name: '内容审核群',
      kind: 'webhook',
      enabled: false,
      config: { url: 'https://hooks.brand.cn/kox' },
      secret: 's3cret',
    });
  });

  it('E-mail: the SMTP settings, recipients cleaned, an optional password; no address', () => {
    expect(
      channelDraft(
        form({ kind: 'email', smtp_port: 465, smtp_security: 'tls', smtp_user: ' kox ', from: ' KOX <kox@brand.cn> ', to: [' a@brand.cn', 'a@brand.cn ', ''] }),
      ),
    ).toEqual({
      name: '内容审核群',
      kind: 'email',
      enabled: true,
      config: { smtp_host: 'smtp.exmail.qq.com', smtp_port: 465, smtp_security: 'tls', smtp_user: 'kox', from: 'KOX <kox@brand.cn>', to: ['a@brand.cn'] },
      secret: 's3cret',
    });
    const relay = channelDraft(form({ kind: 'email', smtp_port: null, smtp_user: '', secret: '' }));
    expect(relay.config).toEqual({ smtp_host: 'smtp.exmail.qq.com', smtp_security: 'starttls', from: 'kox@brand.cn' });
    expect(relay).not.toHaveProperty('secret');
  });
});

describe('the payload an edit sends', () => {
  const feishu = stored('feishu', { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc' });

  it('keeps the stored secret when the input stays empty', () => {
    expect(channelPatch(feishu, channelValues(feishu))).toEqual({});
    expect(channelPatch(feishu, { ...channelValues(feishu), secret: '   ' })).toEqual({});
  });

  it('sends a new secret, a new name, a new address, on/off — only what changed', () => {
    expect(channelPatch(feishu, { ...channelValues(feishu), secret: 'n3w' })).toEqual({ secret: 'n3w' });
    expect(channelPatch(feishu, { ...channelValues(feishu), name: '投放群' })).toEqual({ name: '投放群' });
    expect(channelPatch(feishu, { ...channelValues(feishu), url: 'https://open.feishu.cn/open-apis/bot/v2/hook/xyz' })).toEqual({
      config: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/xyz' },
    });
    expect(channelPatch(feishu, { ...channelValues(feishu), enabled: false })).toEqual({ enabled: false });
  });

  it('sees an e-mail channel as unchanged when the server filled in its defaults', () => {
    const email = stored('email', { smtp_host: 'smtp.brand.cn', smtp_port: 587, smtp_security: 'starttls', from: 'kox@brand.cn' }, false);
    expect(channelPatch(email, channelValues(email))).toEqual({});
    expect(channelPatch(email, { ...channelValues(email), to: ['ops@brand.cn'] })).toEqual({
      config: { smtp_host: 'smtp.brand.cn', smtp_port: 587, smtp_security: 'starttls', from: 'kox@brand.cn', to: ['ops@brand.cn'] },
    });
  });

  it('starts with an empty secret input, whatever is stored', () => {
    expect(channelValues(feishu).secret).toBe('');
    expect(channelValues(undefined, 'webhook')).toMatchObject({ kind: 'webhook', enabled: true, secret: '' });
  });
});

describe('channel helpers', () => {
  it('wecomKey takes a bare key or the key of an address', () => {
    expect(wecomKey(' abcd-1234 ')).toBe('abcd-1234');
    expect(wecomKey('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcd-1234&debug=1')).toBe('abcd-1234');
    expect(wecomKey(undefined)).toBe('');
  });

  it('channelTarget says where a channel sends, without an access token', () => {
    expect(channelTarget(stored('dingtalk', { url: 'https://oapi.dingtalk.com/robot/send?access_token=secret' }))).toBe('oapi.dingtalk.com/robot/send');
    expect(channelTarget(stored('wecom', {}))).toBe('');
    expect(channelTarget(stored('email', { smtp_host: 'smtp.brand.cn', smtp_security: 'tls', from: 'kox@brand.cn', to: ['a@brand.cn'] }))).toBe(
      'smtp.brand.cn:465 · kox@brand.cn · a@brand.cn',
    );
    expect(shortUrl('not a url')).toBe('not a url');
  });
});
