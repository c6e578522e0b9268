import { lazy, Suspense } from 'react'
import { ConfigProvider, Spin, App as AntApp } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import enUS from 'antd/locale/en_US'
import { useTranslation } from 'react-i18next'
import { Navigate, Route, Routes } from 'react-router'
import { useMe, can } from './auth/session'
import { LoginPage } from './auth/LoginPage'
import { ChangePasswordPage } from './auth/ChangePasswordPage'
import { AppLayout } from './layout/AppLayout'
// In the entry chunk anyway: the layout's alert badge uses its useAlerts hook.
import { AlertsPage } from './testing/AlertsPage'

// One chunk per page, fetched when its route is first opened: a sampler's phone loading
// /sampling does not download ECharts (round results) or the registry and import screens.
const HomePage = lazy(() => import('./home/HomePage').then((m) => ({ default: m.HomePage })))
const UsersPage = lazy(() => import('./users/UsersPage').then((m) => ({ default: m.UsersPage })))
const TreePage = lazy(() => import('./tree/TreePage').then((m) => ({ default: m.TreePage })))
const AuditPage = lazy(() => import('./audit/AuditPage').then((m) => ({ default: m.AuditPage })))
const AccountPage = lazy(() => import('./account/AccountPage').then((m) => ({ default: m.AccountPage })))
const RegistryPage = lazy(() => import('./registry/RegistryPage').then((m) => ({ default: m.RegistryPage })))
const ImportPage = lazy(() => import('./imports/ImportPage').then((m) => ({ default: m.ImportPage })))
const RoundsPage = lazy(() => import('./testing/RoundsPage').then((m) => ({ default: m.RoundsPage })))
const RoundPage = lazy(() => import('./testing/RoundPage').then((m) => ({ default: m.RoundPage })))
const SamplingPage = lazy(() => import('./testing/SamplingPage').then((m) => ({ default: m.SamplingPage })))
const RoutinePage = lazy(() => import('./testing/RoutinePage').then((m) => ({ default: m.RoutinePage })))

/** The layout (menu, header) stays on screen while a page's chunk loads. */
const page = (element: React.JSX.Element): React.JSX.Element => <Suspense fallback={<Spin style={{ display: 'block', margin: '48px auto' }} />}>{element}</Suspense>

export function App(): React.JSX.Element {
  const { i18n } = useTranslation()
  const { me, loading } = useMe()
  let body: React.JSX.Element
  if (loading) body = <Spin fullscreen />
  else if (!me) body = <LoginPage />
  else if (me.mustChangePassword) body = <ChangePasswordPage forced />
  else
    body = (
      <Routes>
        <Route element={<AppLayout me={me} />}>
          <Route index element={page(<HomePage me={me} />)} />
          {can(me, 'registry:read') && <Route path="registry" element={page(<RegistryPage me={me} />)} />}
          {can(me, 'registry:write') && <Route path="imports" element={page(<ImportPage me={me} />)} />}
          {can(me, 'testing:read') && <Route path="rounds" element={page(<RoundsPage me={me} />)} />}
          {can(me, 'testing:read') && <Route path="rounds/:id" element={page(<RoundPage me={me} />)} />}
          {can(me, 'testing:sample') && <Route path="sampling" element={page(<SamplingPage me={me} />)} />}
          {can(me, 'testing:read') && <Route path="routine" element={page(<RoutinePage me={me} />)} />}
          {can(me, 'alerts:read') && <Route path="alerts" element={<AlertsPage />} />}
          {can(me, 'tree:read') && <Route path="tree" element={page(<TreePage me={me} />)} />}
          {can(me, 'users:read') && <Route path="users" element={page(<UsersPage me={me} />)} />}
          {can(me, 'audit:read') && <Route path="audit" element={page(<AuditPage me={me} />)} />}
          <Route path="account" element={page(<AccountPage me={me} />)} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    )
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#d46b08' } }}>
      <AntApp>{body}</AntApp>
    </ConfigProvider>
  )
}
