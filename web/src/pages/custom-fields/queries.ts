import { queryOptions, useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import type { FieldEntity } from '../../api/types';
import { customFieldApi } from './api';

export const customFieldKeys = {
  all: (w: number, entity: FieldEntity) => [...qk.ws(w), 'custom-fields', entity] as const,
};

/** The fields of one kind of record, in their order: one definition for reads and prefetches. */
export const customFieldsQuery = (w: number, entity: FieldEntity) =>
  queryOptions({
    queryKey: customFieldKeys.all(w, entity),
    queryFn: async () => (await customFieldApi.list(w, entity)).slice().sort((a, b) => a.position - b.position),
    staleTime: 60_000,
  });

export function useCustomFields(w: number, entity: FieldEntity) {
  return useQuery(customFieldsQuery(w, entity));
}
