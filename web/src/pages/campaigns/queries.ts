import { queryOptions, useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { campaignApi, type CampaignQuery } from './api';

export const campaignKeys = {
  all: (w: number) => [...qk.ws(w), 'campaigns'] as const,
  /** Under `all`, so every campaign write (which invalidates `all`) refreshes the open page too. */
  one: (w: number, id: number) => [...qk.ws(w), 'campaigns', 'one', id] as const,
};

export function useCampaign(w: number, id: number | undefined) {
  return useQuery({
    queryKey: campaignKeys.one(w, id ?? 0),
    queryFn: () => campaignApi.get(w, id!),
    enabled: id !== undefined,
  });
}

/** A page of the campaign list. */
export const campaignListQuery = (w: number, query: CampaignQuery) =>
  queryOptions({ queryKey: [...campaignKeys.all(w), 'list', query], queryFn: () => campaignApi.list(w, query), staleTime: 60_000 });
