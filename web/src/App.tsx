import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import { isApiError } from './api/client';
import { qk } from './api/queries';
import { RequireSession } from './auth/session';
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
const route = (r: ModuleRoute) => ({ path: r.path, element: page(<r.page />, routeTitle(MODULES, r)) });

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
