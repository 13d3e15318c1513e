import i18n from 'i18next';
import { api, call } from '../../api/client';
import { platformName } from '../../lib/builtinNames';
import { inWs } from '../../api/paths';
import type { PlatformInput, PlatformPatch } from '../../api/types';

export const platformApi = {
  // A default platform's name reads in the UI's language until the workspace renames it.
  list: (w: number) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/platforms', { params: inWs(w) })).then((ps) =>
      ps.map((p) => ({ ...p, name: platformName(p.code, p.name, i18n.t) })),
    ),
  create: (w: number, body: PlatformInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/platforms', { params: inWs(w), body })),
  update: (w: number, code: string, body: PlatformPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/platforms/{code}', { params: { path: { workspace_id: w, code } }, body })),
};
