import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, matchRoutes, Navigate, RouterProvider } from 'react-router';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { isApiError } from './api/client';
import { qk } from './api/queries';
import { meQuery, openedWorkspace, RequireSession } from './auth/session';
import { AppLayout } from './layout/AppLayout';
import { routeTitle } from './layout/menu';
import { RouteError } from './components/RouteError';
import { MODULES } from './modules';
import type { ModuleRoute } from './module';

const NotFoundPage = lazy(() => import('./layout/NotFoundPage'));

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      // A 401 anywhere means the session is gone: refetching `me` sends the user to /login.
      if (isApiError(error) && error.status === 401 && query.queryKey[0] !== qk.me[0]) {
        void queryClient.invalidateQueries({ queryKey: qk.me, exact: true });
      }
    },
  }),
  defaultOptions: {
    queries: {
      retry: (count, error) => !(isApiError(error) && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

/** Names the page in the browser tab (and its history): "成员 · KOX". */
function PageTitle({ title }: { title?: string }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = title ? `${t(title)} · KOX` : t('app.title');
  }, [title, t]);
  return null;
}

function page(node: ReactNode, title?: string) {
  return (
    <Suspense
      fallback={
        <div style={{ display: 'grid', placeItems: 'center', padding: 64 }}>
          <Spin />
        </div>
      }
    >
      <PageTitle title={title} />
      {node}
    </Suspense>
  );
}

const routes = MODULES.flatMap((m) => m.routes);
// The router loads a page's code before it shows the page (`lazy`): on a navigation the current
// page stays until the next one can render, and on a cold open the shell and the page render in
// one go, with no spinner in between (React holds back content that replaces a Suspense fallback
// for up to 300 ms).
const route = (r: ModuleRoute) => ({
  path: r.path,
  lazy: async () => {
    await r.page.preload();
    return {};
  },
  element: page(<r.page />, routeTitle(MODULES, r)),
});

// The opened address's page and its first data are asked for now, while the shell renders, not
// after its first render: on a cold open the code, `/me` and the data arrive side by side
// ('/' opens the home page).
const opened = window.location.pathname === '/' ? '/home' : window.location.pathname;
const openedRoutes = (matchRoutes(routes.map((r) => ({ path: r.path, handle: r })), opened) ?? []).map((m) => m.route.handle as ModuleRoute);
for (const r of openedRoutes) void r.page.preload().catch(() => undefined);
if (openedRoutes.some((r) => r.prefetch && !r.public)) {
  queryClient
    .fetchQuery(meQuery)
    .then((me) => {
      const ws = openedWorkspace(me);
      const search = new URLSearchParams(window.location.search);
      if (ws) for (const r of openedRoutes) r.prefetch?.(queryClient, ws.id, search);
    })
    // Not signed in: the session gate shows the sign-in page with the same answer.
    .catch(() => undefined);
}

const router = createBrowserRouter([
  ...routes.filter((r) => r.public).map(route),
  {
    path: '/',
    errorElement: <RouteError />,
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/home" replace /> },
      { path: 'settings', element: <Navigate to="/settings/members" replace /> },
      ...routes.filter((r) => !r.public).map(route),
      { path: '*', element: page(<NotFoundPage />) },
    ],
  },
]);

function Localized({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider
      locale={i18n.language === 'en-US' ? enUS : zhCN}
      theme={{ token: { colorPrimary: '#d4380d', borderRadius: 6 } }}
      button={{ autoInsertSpace: false }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Localized>
        <RouterProvider router={router} />
      </Localized>
    </QueryClientProvider>
  );
}
