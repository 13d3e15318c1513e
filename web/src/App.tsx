import { lazy, Suspense, type ReactNode } from 'react';
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
import { RouteError } from './components/RouteError';

const LoginPage = lazy(() => import('./pages/auth/LoginPage'));
const AccountsPage = lazy(() => import('./pages/accounts/AccountsPage'));
const ContentBoardPage = lazy(() => import('./pages/content/ContentBoardPage'));
const OverviewPage = lazy(() => import('./pages/accounts/OverviewPage'));
const CampaignsPage = lazy(() => import('./pages/campaigns/CampaignsPage'));
const WorkspacePage = lazy(() => import('./pages/workspaces/WorkspacePage'));
const MembersPage = lazy(() => import('./pages/members/MembersPage'));
const CustomFieldsPage = lazy(() => import('./pages/custom-fields/CustomFieldsPage'));
const PlatformsPage = lazy(() => import('./pages/platforms/PlatformsPage'));
const RedLinesPage = lazy(() => import('./pages/red-lines/RedLinesPage'));
const ContentSettingsPage = lazy(() => import('./pages/content-settings/ContentSettingsPage'));
const FirstPassPage = lazy(() => import('./pages/content/FirstPassPage'));
const EventsPage = lazy(() => import('./pages/events/EventsPage'));
const MePage = lazy(() => import('./pages/me/MePage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

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

function page(node: ReactNode) {
  return (
    <Suspense
      fallback={
        <div style={{ display: 'grid', placeItems: 'center', padding: 64 }}>
          <Spin />
        </div>
      }
    >
      {node}
    </Suspense>
  );
}

const router = createBrowserRouter([
  { path: '/login', element: page(<LoginPage />) },
  {
    path: '/',
    errorElement: <RouteError />,
    element: (
      <RequireSession>
        <AppLayout />
      </RequireSession>
    ),
    children: [
      { index: true, element: <Navigate to="/accounts" replace /> },
      { path: 'accounts', element: page(<AccountsPage />) },
      { path: 'content', element: page(<ContentBoardPage />) },
      { path: 'overview', element: page(<OverviewPage />) },
      { path: 'campaigns', element: page(<CampaignsPage />) },
      { path: 'settings', element: <Navigate to="/settings/members" replace /> },
      { path: 'settings/workspace', element: page(<WorkspacePage />) },
      { path: 'settings/members', element: page(<MembersPage />) },
      { path: 'settings/fields', element: page(<CustomFieldsPage />) },
      { path: 'settings/platforms', element: page(<PlatformsPage />) },
      { path: 'settings/red-lines', element: page(<RedLinesPage />) },
      { path: 'settings/content', element: page(<ContentSettingsPage />) },
      { path: 'content/stats', element: page(<FirstPassPage />) },
      { path: 'settings/audit', element: page(<EventsPage />) },
      { path: 'settings/profile', element: page(<MePage />) },
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
