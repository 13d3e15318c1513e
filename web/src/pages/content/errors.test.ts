import { describe, expect, it } from 'vitest';
import { errorKey } from '../../lib/errors';
import { lookup } from '../../i18n/namespaces';

const CONTENT_CODES = [
  'content.invalid_transition',
  'content.account_required',
  'content.locked',
  'content.self_approval',
  'content.red_line_block',
  'content.not_in_stage',
  'content.post_url_platform',
  'content.reason_required',
  'content.neighbour_moved',
  'content.review_not_pending',
  'content.not_approver',
  'content.already_closed',
  'content.topic_required',
  'red_lines.duplicate',
  'validation.required',
  'validation.too_long',
];

describe('content error codes', () => {
  it('are translated in both languages', () => {
    for (const code of CONTENT_CODES) {
      const key = errorKey(code);
      expect(key, code).toBeDefined();
      expect(typeof lookup('zh-CN', key!), `${code} zh-CN`).toBe('string');
      expect(typeof lookup('en-US', key!), `${code} en-US`).toBe('string');
    }
  });
});
