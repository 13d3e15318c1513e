import { useQuery } from '@tanstack/react-query';
import { contentSettingsApi, customFieldApi, memberApi, platformApi, redLineApi, workspaceApi, type FirstPassQuery } from './endpoints';
import type { FieldEntity } from './types';

/** Query keys shared across pages; everything of a workspace lives under ['ws', id]. */
export const qk = {
  me: ['me'] as const,
  ws: (w: number) => ['ws', w] as const,
  workspace: (w: number) => ['ws', w, 'workspace'] as const,
  platforms: (w: number) => ['ws', w, 'platforms'] as const,
  members: (w: number) => ['ws', w, 'members'] as const,
  fields: (w: number, entity: FieldEntity) => ['ws', w, 'custom-fields', entity] as const,
  accounts: (w: number) => ['ws', w, 'accounts'] as const,
  account: (w: number, id: number) => ['ws', w, 'accounts', 'one', id] as const,
  overview: (w: number) => ['ws', w, 'accounts', 'overview'] as const,
  campaigns: (w: number) => ['ws', w, 'campaigns'] as const,
  events: (w: number) => ['ws', w, 'events'] as const,
  /** Everything of the content board; its settings and the first-pass report live under it. */
  content: (w: number) => ['ws', w, 'content'] as const,
  contentSettings: (w: number) => ['ws', w, 'content', 'settings'] as const,
  firstPass: (w: number, q: FirstPassQuery) => ['ws', w, 'content', 'first-pass', q] as const,
  redLines: (w: number) => ['ws', w, 'red-lines'] as const,
  contentBoard: (w: number) => ['ws', w, 'content', 'board'] as const,
  /** One content item; its reviews, comments, history and publish pack live under it. */
  contentItem: (w: number, id: number) => ['ws', w, 'content', 'item', id] as const,
  sessions: ['me', 'sessions'] as const,
  tokens: ['me', 'tokens'] as const,
};

export function useWorkspace(w: number) {
  return useQuery({ queryKey: qk.workspace(w), queryFn: () => workspaceApi.get(w) });
}

export function usePlatforms(w: number) {
  return useQuery({ queryKey: qk.platforms(w), queryFn: () => platformApi.list(w), staleTime: 60_000 });
}

export function useMembers(w: number) {
  return useQuery({ queryKey: qk.members(w), queryFn: () => memberApi.list(w), staleTime: 60_000 });
}

export function useCustomFields(w: number, entity: FieldEntity) {
  return useQuery({
    queryKey: qk.fields(w, entity),
    queryFn: async () => (await customFieldApi.list(w, entity)).slice().sort((a, b) => a.position - b.position),
    staleTime: 60_000,
  });
}

export function useContentSettings(w: number) {
  return useQuery({ queryKey: qk.contentSettings(w), queryFn: () => contentSettingsApi.get(w), staleTime: 60_000 });
}

export function useRedLines(w: number) {
  return useQuery({ queryKey: qk.redLines(w), queryFn: () => redLineApi.list(w) });
}
