import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type { InvitationInput, InvitationRegister } from '../../api/types';

export const invitationApi = {
  list: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/invitations', { params: inWs(w) })),
  create: (w: number, body: InvitationInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/invitations', { params: inWs(w), body })),
  revoke: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/invitations/{id}', { params: inItem(w, id) })),
  /** What a link offers; no session needed. */
  open: (token: string) => call(api.GET('/api/v1/invitations/{token}', { params: { path: { token } } })),
  /** A person new to KOX accepts by the link and is signed in. */
  register: (token: string, body: InvitationRegister) =>
    call(api.POST('/api/v1/invitations/{token}/register', { params: { path: { token } }, body })),
  accept: (id: number) => call(api.POST('/api/v1/me/invitations/{id}/accept', { params: { path: { id } } })),
  decline: (id: number) => call(api.POST('/api/v1/me/invitations/{id}/decline', { params: { path: { id } } })),
};
