import { Select, type SelectProps } from 'antd';
import { useSession } from '../auth/session';
import { useMembers } from '../pages/members/queries';
import type { Member } from '../api/types';

type Props = Omit<SelectProps<number | number[]>, 'options'> & {
  /** Offer only the members this returns true for. */
  include?: (m: Member) => boolean;
};

/** Select one or several workspace members by user id. */
export function MemberSelect({ include, ...props }: Props) {
  const { wsId } = useSession();
  const members = useMembers(wsId);
  return (
    <Select<number | number[]>
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      loading={members.isLoading}
      options={(members.data ?? []).filter((m) => !include || include(m)).map((m) => ({ value: m.user_id, label: m.name }))}
      {...props}
    />
  );
}

/** user_id → name lookup for the current workspace. */
export function useMemberNames(): (id: number) => string {
  const { wsId } = useSession();
  const members = useMembers(wsId);
  const byId = new Map((members.data ?? []).map((m) => [m.user_id, m.name]));
  return (id) => byId.get(id) ?? `#${id}`;
}
