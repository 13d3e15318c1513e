import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { Navigate, useLocation } from 'react-router';
import { Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { qk } from '../api/queries';
import { authApi } from '../pages/auth/api';
import { meApi } from '../pages/me/api';
import { isApiError, setCsrfToken } from '../api/client';
import type { Account, Capability, Locale, Me, WorkspaceMembership } from '../api/types';
import { setLocale, toLocale } from '../i18n';
import { ErrorResult } from '../components/ErrorResult';
import { PendingInvitations } from '../pages/invitations/PendingInvitations';


export interface SessionValue {
  me: Me;
  workspace: WorkspaceMembership;
  wsId: number;
  selectWorkspace: (id: number) => void;
  can: (cap: Capability) => boolean;
  canEditAccount: (a: Pick<Account, 'owner_ids'>) => boolean;
  changeLocale: (l: Locale) => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

const WS_KEY = 'kox.workspace';

/** The workspace the UI opens next time (and now, when the session is rebuilt). */
export function rememberWorkspace(id: number): void {
  try {
    localStorage.setItem(WS_KEY, String(id));
  } catch {
    /* storage unavailable */
  }
}

function storedWorkspace(): number | null {
  try {
    const v = Number(localStorage.getItem(WS_KEY));
    return Number.isInteger(v) && v > 0 ? v : null;
  } catch {
    return null;
  }
}

/** May the holder of these capabilities edit this account? Operators only edit accounts they own. */
export function canEditAccount(caps: readonly Capability[], userId: number, account: Pick<Account, 'owner_ids'>): boolean {
  if (caps.includes('accounts.write_any')) return true;
  return caps.includes('accounts.write_own') && account.owner_ids.includes(userId);
}

/** Who is signed in: one definition for the session gate and the app's first prefetch. */
export const meQuery = queryOptions({ queryKey: qk.me, queryFn: meApi.get, retry: false, staleTime: 5 * 60_000 });

export function useMeQuery() {
  return useQuery(meQuery);
}

/** The workspace a session opens in: the one chosen last time on this browser, else the first. */
export function openedWorkspace(me: Me, chosen: number | null = storedWorkspace()): WorkspaceMembership | undefined {
  return me.workspaces.find((w) => w.id === chosen) ?? me.workspaces[0];
}

/** Gate for every signed-in page: loads `Me`, redirects to /login on 401, and provides the session. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const queryClient = useQueryClient();
  const meQuery = useMeQuery();
  const me = meQuery.data;
  const [chosen, setChosen] = useState<number | null>(storedWorkspace);

  useEffect(() => {
    if (me) {
      setCsrfToken(me.csrf_token);
      void setLocale(toLocale(me.user.locale));
    }
  }, [me]);

  const selectWorkspace = useCallback((id: number) => {
    setChosen(id);
    rememberWorkspace(id);
  }, []);

  const workspace = me ? openedWorkspace(me, chosen) : undefined;

  const value = useMemo<SessionValue | null>(() => {
    if (!me || !workspace) return null;
    const caps = workspace.capabilities;
    return {
      me,
      workspace,
      wsId: workspace.id,
      selectWorkspace,
      can: (cap) => caps.includes(cap),
      canEditAccount: (a) => canEditAccount(caps, me.user.id, a),
      changeLocale: async (locale) => {
        await setLocale(locale);
        const updated = await meApi.update({ locale });
        queryClient.setQueryData(qk.me, updated);
        // Names the UI translates as it reads them (columns, platforms) are read again.
        void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== qk.me[0] });
      },
      logout: async () => {
        try {
          await authApi.logout();
        } finally {
          setCsrfToken(null);
          queryClient.clear();
          window.location.assign('/login');
        }
      },
    };
  }, [me, workspace, selectWorkspace, queryClient]);

  if (meQuery.isError && isApiError(meQuery.error) && meQuery.error.status === 401) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next && next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  if (meQuery.isError && !me) return <ErrorResult error={meQuery.error} onRetry={() => void meQuery.refetch()} />;
  if (!me) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  // Someone in no workspace yet may have invitations to answer.
  if (!value) return <Result status="info" title={t('app.noWorkspace')} extra={<PendingInvitations me={me} onJoined={selectWorkspace} />} />;
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside RequireSession');
  return ctx;
}

/** Renders children only when the current member holds the capability. */
export function Can({ cap, children }: { cap: Capability; children: ReactNode }) {
  const { can } = useSession();
  return can(cap) ? <>{children}</> : null;
}
