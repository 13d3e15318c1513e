import { useQuery } from '@tanstack/react-query';
import { contentKeys } from '../content/queries';
import { contentSettingsApi } from './api';

export const contentSettingsKeys = {
  // Under the content keys: dropping the board's queries drops its settings too.
  one: (w: number) => [...contentKeys.all(w), 'settings'] as const,
};

export function useContentSettings(w: number) {
  return useQuery({ queryKey: contentSettingsKeys.one(w), queryFn: () => contentSettingsApi.get(w), staleTime: 60_000 });
}
