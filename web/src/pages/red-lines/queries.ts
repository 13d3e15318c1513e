import { useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { redLineApi } from './api';

export const redLineKeys = {
  all: (w: number) => [...qk.ws(w), 'red-lines'] as const,
};

export function useRedLines(w: number) {
  return useQuery({ queryKey: redLineKeys.all(w), queryFn: () => redLineApi.list(w) });
}
