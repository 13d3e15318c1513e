import { describe, expect, it } from 'vitest';
import zhCN from '../../i18n/zh-CN';
import enUS from '../../i18n/en-US';
import { AUDIT_ACTIONS } from './actions';

const lookup = (res: object, key: string) => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], res);

describe('audit actions', () => {
  it('every action offered in the filter is translated in both languages', () => {
    for (const action of AUDIT_ACTIONS) {
      expect(typeof lookup(zhCN, `actions.${action}`), action).toBe('string');
      expect(typeof lookup(enUS, `actions.${action}`), action).toBe('string');
    }
  });
});
