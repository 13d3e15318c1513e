import { api, call } from '../../api/client';
import { inWs } from '../../api/paths';
import type { ContentSettings } from '../../api/types';

export const contentSettingsApi = {
  get: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/content/settings', { params: inWs(w) })),
  update: (w: number, body: ContentSettings) => call(api.PUT('/api/v1/workspaces/{workspace_id}/content/settings', { params: inWs(w), body })),
};
