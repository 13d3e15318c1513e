import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type { components } from '../../api/schema';

type S = components['schemas'];

export type ItemMetrics = S['ItemMetrics'];
export type Snapshot = S['Snapshot'];
export type GradeRecord = S['GradeRecord'];
export type Grade = S['Grade'];
export type GradeMethod = S['GradeMethod'];
export type GradeStatus = S['GradeStatus'];
export type MetricRegistry = S['MetricRegistry'];
export type MetricDefinitions = S['MetricDefinitions'];
export type GradeRules = S['GradeRules'];
export type AbsoluteRule = S['AbsoluteRule'];
export type InteractionParts = S['InteractionParts'];
export type RateBase = S['RateBase'];
export type CpmBase = S['CpmBase'];
export type RoiForm = S['RoiForm'];
export type PostMetricInput = S['PostMetricInput'];
export type MatchRow = S['MatchRow'];
export type PostPreview = S['PostPreview'];

/** Data in: a post's numbers and grade, hand entry, the metric definitions and the grading status. */
export const metricsApi = {
  item: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/content/{id}/metrics', { params: inItem(w, id) })),
  /** One snapshot typed in for one post; answers the post's data with it. */
  enter: (w: number, id: number, body: PostMetricInput) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/content/{id}/metrics', { params: inItem(w, id), body })),
  registry: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/metric-definitions', { params: inWs(w) })),
  /** A new version of the definitions when anything changed; grades follow in the background. */
  saveRegistry: (w: number, body: MetricDefinitions) =>
    call(api.PUT('/api/v1/workspaces/{workspace_id}/metric-definitions', { params: inWs(w), body })),
  grades: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/grades', { params: inWs(w) })),
};
