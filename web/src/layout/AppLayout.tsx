import { useState } from 'react'
import {
  Badge,
  Button,
  Dropdown,
  Grid,
  Layout,
  Menu,
  Select,
  Space,
  TreeSelect,
  Typography,
  App,
} from 'antd'
import { useTranslation } from 'react-i18next'
import { Outlet, useLocation, useNavigate } from 'react-router'
import type { Me } from '../api'
import { authApi } from '../core/api'
import { ROUTES } from '../routes'
import { useApiError } from '../lib/apiError'
import { can, useSetMe } from '../auth/session'
import { LANGUAGES, setLanguage } from '../i18n'
import { useDivisionTree } from '../tree/useDivisionTree'
import { useAlerts } from '../testing/AlertsPage'

function ScopeSwitcher({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const setMe = useSetMe()
  const { message } = App.useApp()
  const apiError = useApiError()
  const { nodes, loadChildren } = useDivisionTree()
  const phone = Grid.useBreakpoint().md === false
  const ALL = '__all__'
  const treeData = [
    { key: ALL, value: ALL, title: t('scope.all'), isLeaf: true, level: '', code: '' },
    ...nodes,
  ]
  return (
    <TreeSelect
      data-testid="scope-switcher"
      aria-label={t('a11y.scope')}
      style={phone ? { flex: 1, minWidth: 0 } : { minWidth: 220 }}
      value={me.selectedScope?.id ?? ALL}
      treeData={treeData}
      loadData={(node) => loadChildren(String(node.value ?? node.key))}
      labelInValue={false}
      treeNodeLabelProp="title"
      popupMatchSelectWidth={false}
      onChange={async (value: string) => {
        try {
          setMe(await authApi.setScope({ divisionId: value === ALL ? null : value }))
        } catch (err) {
          void message.error(apiError(err))
        }
      }}
      prefix={
        phone ? undefined : <span style={{ color: 'rgba(0, 0, 0, 0.65)' }}>{t('scope.label')}</span>
      }
    />
  )
}

/** The alerts entry with the number still open. */
function AlertsMenuLabel({ label }: { label: string }): React.JSX.Element {
  const alerts = useAlerts(true)
  const n = alerts.data?.open ?? 0
  return (
    <Space>
      {label}
      {n > 0 && <Badge count={n} size="small" data-testid="alerts-badge" />}
    </Space>
  )
}

export function AppLayout({ me }: { me: Me }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const location = useLocation()
  const setMe = useSetMe()
  const screens = Grid.useBreakpoint()
  const phone = screens.md === false
  const [collapsed, setCollapsed] = useState(phone)

  const items = ROUTES.filter((r) => r.menu && (!r.permission || can(me, r.permission))).map(
    (r) => {
      const key = '/' + r.path
      const label = t(r.menu!.label)
      return {
        key,
        label: key === '/alerts' ? <AlertsMenuLabel label={label} /> : label,
        icon: r.menu!.icon,
      }
    },
  )

  async function logout(everywhere: boolean): Promise<void> {
    await authApi.logout(everywhere)
    setMe(null)
    void navigate('/')
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        onCollapse={setCollapsed}
        breakpoint="md"
        collapsedWidth={phone ? 0 : 64}
        theme="light"
        width={200}
        style={phone && !collapsed ? { position: 'fixed', zIndex: 20, height: '100vh' } : undefined}
        // On a phone the menu button sits in the header's left padding, not over the content.
        zeroWidthTriggerStyle={{ top: 12 }}
      >
        <div
          style={{
            padding: '16px 20px',
            fontWeight: 600,
            fontSize: 18,
            color: '#ad4e00',
            whiteSpace: 'nowrap',
          }}
        >
          {collapsed ? '微' : t('app.name')}
        </div>
        <Menu
          mode="inline"
          selectedKeys={[location.pathname === '/' ? '/' : '/' + location.pathname.split('/')[1]]}
          items={items}
          onClick={(e) => {
            void navigate(e.key)
            if (phone) setCollapsed(true)
          }}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: phone ? '8px 8px 8px 48px' : '0 16px',
            height: 'auto',
            minHeight: 64,
            lineHeight: 'normal',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            gap: 8,
            flexWrap: phone ? 'nowrap' : 'wrap',
          }}
        >
          {can(me, 'tree:read') ? <ScopeSwitcher me={me} /> : <span />}
          <Space size={phone ? 4 : 8}>
            <Select
              size="small"
              value={i18n.language}
              onChange={setLanguage}
              options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
              data-testid="language"
              aria-label={t('a11y.language')}
            />
            <Dropdown
              menu={{
                items: [
                  { key: 'account', label: t('menu.account'), onClick: () => navigate('/account') },
                  { key: 'logout', label: t('user.logout'), onClick: () => void logout(false) },
                  {
                    key: 'everywhere',
                    label: t('user.logoutEverywhere'),
                    onClick: () => void logout(true),
                  },
                ],
              }}
            >
              <Button type="text" data-testid="user-menu">
                <Typography.Text strong>{me.displayName}</Typography.Text>
                {!phone && (
                  <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
                    {t(`roles.${me.role}`)}
                  </Typography.Text>
                )}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ margin: phone ? 8 : 16 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  )
}
