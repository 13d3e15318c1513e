import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type { CustomFieldInput, CustomFieldPatch, FieldEntity } from '../../api/types';

export const customFieldApi = {
  list: (w: number, entity: FieldEntity) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/custom-fields', { params: { ...inWs(w), query: { entity } } })),
  create: (w: number, body: CustomFieldInput) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/custom-fields', { params: inWs(w), body })),
  update: (w: number, id: number, body: CustomFieldPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/custom-fields/{id}', { params: inItem(w, id), body })),
  remove: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/custom-fields/{id}', { params: inItem(w, id) })),
};
