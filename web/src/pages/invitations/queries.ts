import { useQuery } from '@tanstack/react-query';
import { qk } from '../../api/queries';
import { invitationApi } from './api';

export const invitationKeys = {
  all: (w: number) => [...qk.ws(w), 'invitations'] as const,
  link: (token: string) => ['invitation-link', token] as const,
};

/** The workspace's open invitations (for those who manage members). */
export function useInvitations(w: number, enabled: boolean) {
  return useQuery({ queryKey: invitationKeys.all(w), queryFn: () => invitationApi.list(w), enabled, staleTime: 30_000 });
}
