import { api, call } from '../../api/client';
import { inWs } from '../../api/paths';
import type { PlatformInput, PlatformPatch } from '../../api/types';

export const platformApi = {
  list: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/platforms', { params: inWs(w) })),
  create: (w: number, body: PlatformInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/platforms', { params: inWs(w), body })),
  update: (w: number, code: string, body: PlatformPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/platforms/{code}', { params: { path: { workspace_id: w, code } }, body })),
};
