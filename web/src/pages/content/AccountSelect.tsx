import { useEffect, useMemo, useState } from 'react';
import { Select, type SelectProps } from 'antd';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { accountApi } from '../accounts/api';
import { accountKeys, accountListQuery } from '../accounts/queries';
import { usePlatforms } from '../platforms/queries';
import type { Account } from '../../api/types';
import { useSession } from '../../auth/session';
import { useMemberNames } from '../../components/MemberSelect';
import { useTranslation } from 'react-i18next';
import { groupByOwner } from './accountGroups';
import { ACCOUNT_PICKS } from './queries';

type Props = Omit<SelectProps<number | number[]>, 'options' | 'showSearch' | 'filterOption' | 'onSearch'> & {
  /** Only accounts owned by this member (operators pick among their own). */
  owner?: number;
  /** Only accounts on this platform (a platform's export is about one of its accounts). */
  platform?: string;
};

/** Searchable account picker, grouped by owner with "my accounts" first; the server searches handle, name and persona. */
export function AccountSelect({ owner, platform, ...props }: Props) {
  const { t } = useTranslation();
  const { wsId, me } = useSession();
  const ownerName = useMemberNames();
  const platforms = usePlatforms(wsId);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);

  const params = { ...ACCOUNT_PICKS, q: q || undefined, owner, platform };
  const list = useQuery({ ...accountListQuery(wsId, params), placeholderData: keepPreviousData, staleTime: 30_000 });

  // Selected accounts that are not in the current search result still need their label.
  const selected = props.value === undefined || props.value === null ? [] : Array.isArray(props.value) ? props.value : [props.value];
  const listed = new Set((list.data?.items ?? []).map((a) => a.id));
  const missing = selected.filter((id) => !listed.has(id));
  const extra = useQueries({
    queries: missing.map((id) => ({
      queryKey: accountKeys.one(wsId, id),
      queryFn: () => accountApi.get(wsId, id),
      staleTime: 60_000,
    })),
  });

  const platformName = useMemo(() => {
    const m = new Map((platforms.data ?? []).map((p) => [p.code, p.name]));
    return (code: string) => m.get(code) ?? code;
  }, [platforms.data]);
  const label = (a: Account) => `${a.display_name} @${a.handle} · ${platformName(a.platform)}`;
  const accounts = [...(list.data?.items ?? []), ...extra.flatMap((r) => (r.data ? [r.data] : []))];

  return (
    <Select<number | number[]>
      showSearch={{ filterOption: false, searchValue: search, onSearch: setSearch }}
      allowClear
      loading={list.isFetching}
      options={groupByOwner(accounts, me.user.id, ownerName).map((g) => ({
        label: g.owner === me.user.id ? t('content:accountGroups.mine') : g.owner === null ? t('content:accountGroups.nobody') : ownerName(g.owner),
        title: g.owner === null ? 'nobody' : String(g.owner),
        options: g.accounts.map((a) => ({ value: a.id, label: label(a) })),
      }))}
      onOpenChange={(open: boolean) => {
        if (!open) setSearch('');
      }}
      {...props}
    />
  );
}
