import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type { RedLineInput, RedLinePatch } from '../../api/types';

export const redLineApi = {
  list: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/red-lines', { params: inWs(w) })),
  create: (w: number, body: RedLineInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/red-lines', { params: inWs(w), body })),
  update: (w: number, id: number, body: RedLinePatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/red-lines/{id}', { params: inItem(w, id), body })),
  remove: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/red-lines/{id}', { params: inItem(w, id) })),
};
