import { queryOptions } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { importApi } from '../imports/api';
import { contentKeys } from '../content/queries';
import { metricsApi } from './api';
import { dataImports, type MetricKind } from './wizard';

/** Data in: the data imports, the presets, the metric definitions and the grading status. */
export const metricsKeys = {
  all: (w: number) => [...qk.ws(w), 'metrics'] as const,
  imports: (w: number) => [...qk.ws(w), 'metrics', 'imports'] as const,
  import: (w: number, id: number) => [...qk.ws(w), 'metrics', 'imports', id] as const,
  presets: (w: number) => [...qk.ws(w), 'metrics', 'presets'] as const,
  registry: (w: number) => [...qk.ws(w), 'metrics', 'registry'] as const,
  grades: (w: number) => [...qk.ws(w), 'metrics', 'grades'] as const,
  /** A post's data lives under its content item, so whatever refreshes the item refreshes it. */
  item: (w: number, id: number) => [...contentKeys.item(w, id), 'metrics'] as const,
};

/**
 * The data imports of one kind, or of every kind the 数据 page imports (`null`), newest first;
 * asked again every 2 s while one is being written.
 */
export const metricImportsQuery = (w: number, kind: MetricKind | null) =>
  queryOptions({
    queryKey: [...metricsKeys.imports(w), kind ?? 'all'],
    queryFn: async () => (kind ? importApi.list(w, kind) : dataImports(await importApi.list(w))),
    refetchInterval: (q) => (q.state.data?.some((i) => i.status === 'committing') ? 2_000 : false),
  });

/** The platform exports the server knows: they change only with the server. */
export const presetsQuery = (w: number) =>
  queryOptions({ queryKey: metricsKeys.presets(w), queryFn: () => importApi.presets(w), staleTime: Infinity });

export const registryQuery = (w: number) => queryOptions({ queryKey: metricsKeys.registry(w), queryFn: () => metricsApi.registry(w), staleTime: 60_000 });

/** Where re-grading is; asked again every 2 s until every post is graded by the rules in force. */
export const gradesQuery = (w: number) =>
  queryOptions({
    queryKey: metricsKeys.grades(w),
    queryFn: () => metricsApi.grades(w),
    refetchInterval: (q) => (q.state.data && q.state.data.current < q.state.data.posts ? 2_000 : false),
  });

export const itemMetricsQuery = (w: number, id: number) => queryOptions({ queryKey: metricsKeys.item(w, id), queryFn: () => metricsApi.item(w, id) });
