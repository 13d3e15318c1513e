import { queryOptions, useQuery } from '@tanstack/react-query';
import { contentKeys } from '../content/queries';
import { contentSettingsApi } from './api';

export const contentSettingsKeys = {
  // Under the content keys: dropping the board's queries drops its settings too.
  one: (w: number) => [...contentKeys.all(w), 'settings'] as const,
};

export const contentSettingsQuery = (w: number) =>
  queryOptions({ queryKey: contentSettingsKeys.one(w), queryFn: () => contentSettingsApi.get(w), staleTime: 60_000 });

export function useContentSettings(w: number) {
  return useQuery(contentSettingsQuery(w));
}
