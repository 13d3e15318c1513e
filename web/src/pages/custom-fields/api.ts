import i18n from 'i18next';
import { api, call } from '../../api/client';
import { fieldLabel } from '../../lib/builtinNames';
import { inItem, inWs } from '../../api/paths';
import type { CustomFieldInput, CustomFieldPatch, FieldEntity } from '../../api/types';

export const customFieldApi = {
  // The demo's own fields read in the UI's language until the workspace renames them.
  list: (w: number, entity: FieldEntity) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/custom-fields', { params: { ...inWs(w), query: { entity } } })).then((fs) =>
      fs.map((f) => ({ ...f, label: fieldLabel(f.key, f.label, i18n.t) })),
    ),
  create: (w: number, body: CustomFieldInput) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/custom-fields', { params: inWs(w), body })),
  update: (w: number, id: number, body: CustomFieldPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/custom-fields/{id}', { params: inItem(w, id), body })),
  remove: (w: number, id: number) => call(api.DELETE('/api/v1/workspaces/{workspace_id}/custom-fields/{id}', { params: inItem(w, id) })),
};
