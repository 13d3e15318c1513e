import { api, call } from '../../api/client';
import { inWs } from '../../api/paths';
import type { WorkspacePatch } from '../../api/types';

export const workspaceApi = {
  get: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}', { params: inWs(w) })),
  update: (w: number, body: WorkspacePatch) => call(api.PATCH('/api/v1/workspaces/{workspace_id}', { params: inWs(w), body })),
};
