import { useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate, useNavigation } from 'react-router';
import { App, Avatar, Dropdown, Layout, Menu, Segmented, Select, Space, Typography, type MenuProps } from 'antd';
import { BellOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { LOCALES } from '../i18n';
import type { Locale } from '../api/types';
import { describeError } from '../lib/errors';
import { MODULES } from '../modules';
import { buildMenu, MENU_GROUPS, menuKeyFor, type MenuNode } from './menu';
import { PendingInvitations } from '../pages/invitations/PendingInvitations';
import { NotificationBell } from '../pages/notifications/NotificationBell';

const { Sider, Header, Content } = Layout;

function useMenuItems(): { items: MenuProps['items']; nodes: MenuNode[] } {
  const { t } = useTranslation();
  const { can } = useSession();
  return useMemo(() => {
    const toItem = (n: MenuNode): NonNullable<MenuProps['items']>[number] => ({
      key: n.key,
      icon: n.icon,
      label: t(n.label),
      ...(n.children ? { children: n.children.map(toItem) } : {}),
    });
    const nodes = buildMenu(MODULES, can);
    return { items: nodes.map(toItem), nodes };
  }, [t, can]);
}

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const { me, workspace, selectWorkspace, changeLocale, logout } = useSession();
  const [collapsed, setCollapsed] = useState(false);
  const [openKeys, setOpenKeys] = useState<string[]>(Object.keys(MENU_GROUPS));
  const { items, nodes: menuNodes } = useMenuItems();

  const selected = menuKeyFor(menuNodes, location.pathname);
  // The page stays while the next one's code loads (the router's `lazy`); a bar says so.
  const navigating = useNavigation().state !== 'idle';

  const userMenu: MenuProps['items'] = [
    { key: 'profile', icon: <UserOutlined />, label: t('app.profile') },
    { key: 'notifications', icon: <BellOutlined />, label: t('notifications:prefs.title') },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('app.logout'), danger: true },
  ];

  const onLocale = async (locale: Locale) => {
    try {
      await changeLocale(locale);
    } catch (e) {
      void message.error(describeError(e, t));
    }
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {navigating && <div className="kox-boot" role="progressbar" aria-label={t('app.loading')} data-testid="navigating" />}
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220}>
        <div className="kox-logo">
          <span className="kox-logo-mark">KOX</span>
          {!collapsed && <span>{t('app.name')}</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          aria-label={t('app.title')}
          selectedKeys={[selected]}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={setOpenKeys}
          items={items}
          onClick={({ key }) => {
            if (key.startsWith('/')) navigate(key);
          }}
        />
      </Sider>
      <Layout>
        <Header
          style={{
            background: '#fff',
            padding: '0 24px',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          <Space>
            {me.workspaces.length > 1 ? (
              <Select
                aria-label={t('app.workspace')}
                data-testid="workspace-select"
                value={workspace.id}
                style={{ minWidth: 200 }}
                onChange={(id: number) => selectWorkspace(id)}
                options={me.workspaces.map((w) => ({ value: w.id, label: w.name }))}
              />
            ) : (
              <Typography.Title level={5} style={{ margin: 0 }} data-testid="workspace-name">
                {workspace.name}
              </Typography.Title>
            )}
          </Space>
          <Space size="large">
            <Segmented<Locale>
              aria-label={t('app.language')}
              data-testid="language-switch"
              value={(i18n.language as Locale) ?? 'zh-CN'}
              options={LOCALES.map((l) => ({ value: l, label: t(`lang.${l}`) }))}
              onChange={(l) => void onLocale(l)}
            />
            <NotificationBell />
            <Dropdown
              trigger={['click']}
              menu={{
                items: userMenu,
                onClick: ({ key }) => {
                  if (key === 'logout') void logout();
                  if (key === 'profile') navigate('/settings/profile');
                  if (key === 'notifications') navigate('/me/notifications');
                },
              }}
            >
              <Space style={{ cursor: 'pointer' }} data-testid="user-menu" role="button" aria-label={me.user.name}>
                <Avatar size="small" icon={<UserOutlined />} />
                <span>{me.user.name}</span>
              </Space>
            </Dropdown>
          </Space>
        </Header>
        <Content style={{ margin: 24 }}>
          <PendingInvitations me={me} onJoined={selectWorkspace} />
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
