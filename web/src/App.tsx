import { ConfigProvider, Spin, App as AntApp } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import enUS from 'antd/locale/en_US'
import { useTranslation } from 'react-i18next'
import { Navigate, Route, Routes } from 'react-router'
import { useMe, can } from './auth/session'
import { LoginPage } from './auth/LoginPage'
import { ChangePasswordPage } from './auth/ChangePasswordPage'
import { AppLayout } from './layout/AppLayout'
import { HomePage } from './home/HomePage'
import { UsersPage } from './users/UsersPage'
import { TreePage } from './tree/TreePage'
import { AuditPage } from './audit/AuditPage'
import { AccountPage } from './account/AccountPage'
import { RegistryPage } from './registry/RegistryPage'
import { ImportPage } from './imports/ImportPage'
import { RoundsPage } from './testing/RoundsPage'
import { RoundPage } from './testing/RoundPage'
import { SamplingPage } from './testing/SamplingPage'
import { AlertsPage } from './testing/AlertsPage'
import { RoutinePage } from './testing/RoutinePage'

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
          <Route index element={<HomePage me={me} />} />
          {can(me, 'registry:read') && <Route path="registry" element={<RegistryPage me={me} />} />}
          {can(me, 'registry:write') && <Route path="imports" element={<ImportPage me={me} />} />}
          {can(me, 'testing:read') && <Route path="rounds" element={<RoundsPage me={me} />} />}
          {can(me, 'testing:read') && <Route path="rounds/:id" element={<RoundPage me={me} />} />}
          {can(me, 'testing:sample') && <Route path="sampling" element={<SamplingPage me={me} />} />}
          {can(me, 'testing:read') && <Route path="routine" element={<RoutinePage me={me} />} />}
          {can(me, 'alerts:read') && <Route path="alerts" element={<AlertsPage />} />}
          {can(me, 'tree:read') && <Route path="tree" element={<TreePage me={me} />} />}
          {can(me, 'users:read') && <Route path="users" element={<UsersPage me={me} />} />}
          {can(me, 'audit:read') && <Route path="audit" element={<AuditPage me={me} />} />}
          <Route path="account" element={<AccountPage me={me} />} />
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
