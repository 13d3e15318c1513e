import { api, call } from '../../api/client';
import { inWs } from '../../api/paths';
import type { MemberPatch } from '../../api/types';

export const memberApi = {
  list: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/members', { params: inWs(w) })),
  update: (w: number, user_id: number, body: MemberPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/members/{user_id}', { params: { path: { workspace_id: w, user_id } }, body })),
  remove: (w: number, user_id: number) =>
    call(api.DELETE('/api/v1/workspaces/{workspace_id}/members/{user_id}', { params: { path: { workspace_id: w, user_id } } })),
};
