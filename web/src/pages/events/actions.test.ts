import { describe, expect, it } from 'vitest';
import { lookup } from '../../i18n/namespaces';
import { AUDIT_ACTIONS } from './actions';

describe('audit actions', () => {
  it('every action offered in the filter is translated in both languages', () => {
    for (const action of AUDIT_ACTIONS) {
      expect(typeof lookup('zh-CN', `actions.${action}`), action).toBe('string');
      expect(typeof lookup('en-US', `actions.${action}`), action).toBe('string');
    }
  });
});
