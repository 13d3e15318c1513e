import { api, call } from '../../api/client';
import type { ChangePassword, UpdateMe } from '../../api/types';

export const meApi = {
  get: () => call(api.GET('/api/v1/me')),
  update: (body: UpdateMe) => call(api.PATCH('/api/v1/me', { body })),
  changePassword: (body: ChangePassword) => call(api.POST('/api/v1/me/password', { body })),
  sessions: () => call(api.GET('/api/v1/me/sessions')),
  revokeSession: (id: number) => call(api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id } } })),
  tokens: () => call(api.GET('/api/v1/me/tokens')),
  createToken: (name: string) => call(api.POST('/api/v1/me/tokens', { body: { name } })),
  revokeToken: (id: number) => call(api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id } } })),
};
