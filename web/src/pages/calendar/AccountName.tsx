import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../auth/session';
import { accountApi } from '../accounts/api';
import { accountKeys } from '../accounts/queries';

/** `@handle` of an account known by id (read once and shared with the account pickers). */
export function AccountName({ id }: { id: number }) {
  const { wsId } = useSession();
  const account = useQuery({ queryKey: accountKeys.one(wsId, id), queryFn: () => accountApi.get(wsId, id), staleTime: 60_000, retry: false });
  return <>{account.data ? `@${account.data.handle}` : `#${id}`}</>;
}
