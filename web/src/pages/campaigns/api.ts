import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type { operations } from '../../api/schema';
import type { CampaignInput, CampaignPatch } from '../../api/types';

export type CampaignQuery = NonNullable<operations['list_campaigns']['parameters']['query']>;

export const campaignApi = {
  list: (w: number, query: CampaignQuery) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/campaigns', { params: { ...inWs(w), query } })),
  get: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/campaigns/{id}', { params: inItem(w, id) })),
  create: (w: number, body: CampaignInput) => call(api.POST('/api/v1/workspaces/{workspace_id}/campaigns', { params: inWs(w), body })),
  update: (w: number, id: number, body: CampaignPatch) =>
    call(api.PATCH('/api/v1/workspaces/{workspace_id}/campaigns/{id}', { params: inItem(w, id), body })),
};
