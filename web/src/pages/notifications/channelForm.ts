import type { Channel, ChannelConfig, ChannelDraft, ChannelKind, ChannelPatch, SmtpSecurity } from '../../api/types';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['feishu', 'wecom', 'dingtalk', 'webhook', 'email'];
export const SMTP_SECURITIES: readonly SmtpSecurity[] = ['starttls', 'tls', 'none'];
/** The port each security uses when none is given (what the server assumes too). */
export const DEFAULT_PORTS: Record<SmtpSecurity, number> = { starttls: 587, tls: 465, none: 25 };

/** Kinds that post to an address of their own (WeCom's is optional: a proxy). */
export const needsUrl = (kind: ChannelKind): boolean => kind === 'feishu' || kind === 'dingtalk' || kind === 'webhook';
/** Kinds whose secret (signing secret, WeCom key) is required; e-mail's password is optional. */
export const needsSecret = (kind: ChannelKind): boolean => kind !== 'email';

/** What the channel form holds: the settings of every kind, of which the kind's are sent. */
export interface ChannelValues {
  name: string;
  kind: ChannelKind;
  enabled?: boolean;
  url?: string;
  /** Write-only: empty on an edit keeps the stored one. */
  secret?: string;
  smtp_host?: string;
  smtp_port?: number | null;
  smtp_security?: SmtpSecurity;
  smtp_user?: string;
  from?: string;
  to?: string[];
}

const trimmed = (v: string | null | undefined): string => (v ?? '').trim();

/** Trimmed, non-empty, each once. */
function cleanList(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
}

/**
 * A WeCom bot's key: what was typed, or the `key=` of a pasted webhook address
 * (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…).
 */
export function wecomKey(input: string | undefined): string {
  const v = trimmed(input);
  const m = /[?&]key=([^&#\s]+)/.exec(v);
  return m ? decodeURIComponent(m[1]) : v;
}

/** The settings the kind uses, and nothing of another kind's (which the form may still hold after a switch of kind). */
export function channelConfig(v: ChannelValues): ChannelConfig {
  switch (v.kind) {
    case 'feishu':
    case 'dingtalk':
    case 'webhook':
      return { url: trimmed(v.url) };
    case 'wecom':
      return trimmed(v.url) ? { url: trimmed(v.url) } : {};
    case 'email': {
      const config: ChannelConfig = { smtp_host: trimmed(v.smtp_host), smtp_security: v.smtp_security ?? 'starttls', from: trimmed(v.from) };
      if (v.smtp_port) config.smtp_port = v.smtp_port;
      if (trimmed(v.smtp_user)) config.smtp_user = trimmed(v.smtp_user);
      const to = cleanList(v.to);
      if (to.length) config.to = to;
      return config;
    }
  }
}

/** The secret as typed (a WeCom key cut out of its address); undefined when left empty. */
function secretOf(v: ChannelValues): string | undefined {
  const s = v.kind === 'wecom' ? wecomKey(v.secret) : trimmed(v.secret);
  return s || undefined;
}

export function channelDraft(v: ChannelValues): ChannelDraft {
  const draft: ChannelDraft = { name: v.name.trim(), kind: v.kind, config: channelConfig(v), enabled: v.enabled ?? true };
  const secret = secretOf(v);
  if (secret) draft.secret = secret;
  return draft;
}

/** A config compared by content: keys sorted, empty values dropped. */
function canonical(c: ChannelConfig): string {
  const entries = Object.entries(c)
    .filter(([, x]) => x !== undefined && x !== null && x !== '' && !(Array.isArray(x) && x.length === 0))
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

/**
 * Only what changed. The secret is write-only: an empty input keeps the stored one, so it is
 * sent only when something was typed.
 */
export function channelPatch(row: Channel, v: ChannelValues): ChannelPatch {
  const patch: ChannelPatch = {};
  if (v.name.trim() !== row.name) patch.name = v.name.trim();
  const config = channelConfig({ ...v, kind: row.kind });
  if (canonical(config) !== canonical(row.config)) patch.config = config;
  const secret = secretOf({ ...v, kind: row.kind });
  if (secret) patch.secret = secret;
  if (v.enabled !== undefined && v.enabled !== row.enabled) patch.enabled = v.enabled;
  return patch;
}

/** The form's values for a channel (the secret always starts empty), or for a new one. */
export function channelValues(row?: Channel, kind: ChannelKind = 'feishu'): ChannelValues {
  if (!row) return { name: '', kind, enabled: true, secret: '', smtp_security: 'starttls', to: [] };
  const c = row.config;
  return {
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    url: c.url ?? '',
    secret: '',
    smtp_host: c.smtp_host ?? '',
    smtp_port: c.smtp_port ?? null,
    smtp_security: c.smtp_security ?? 'starttls',
    smtp_user: c.smtp_user ?? '',
    from: c.from ?? '',
    to: c.to ?? [],
  };
}

/** An address without its query (a DingTalk access_token stays off the screen). */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname.length > 24 ? `${u.pathname.slice(0, 23)}…` : u.pathname;
    return `${u.host}${path === '/' ? '' : path}`;
  } catch {
    return url;
  }
}

/** Where a channel sends, in one short line for its table row. */
export function channelTarget(c: Pick<Channel, 'kind' | 'config'>): string {
  const cfg = c.config;
  if (c.kind === 'email') {
    const server = cfg.smtp_host ? `${cfg.smtp_host}:${cfg.smtp_port ?? DEFAULT_PORTS[cfg.smtp_security ?? 'starttls']}` : '';
    return [server, cfg.from, ...(cfg.to ?? [])].filter(Boolean).join(' · ');
  }
  return cfg.url ? shortUrl(cfg.url) : '';
}
