import { queryOptions } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { importApi, type ImportKind } from './api';

/** What every kind of import shares: the saved mappings. */
export const importKeys = {
  mappings: (w: number) => [...qk.ws(w), 'imports', 'mappings'] as const,
};

/** The saved mappings of one kind of file, by name. */
export const importMappingsQuery = (w: number, kind: ImportKind) =>
  queryOptions({ queryKey: [...importKeys.mappings(w), kind], queryFn: async () => (await importApi.mappings(w, kind)).items });
