import { ConfigProvider, Spin, App as AntApp } from 'antd'
import zhCN from 'antd/locale/zh_CN'
import enUS from 'antd/locale/en_US'
import { useTranslation } from 'react-i18next'
import { Navigate, Route, Routes } from 'react-router'
import { useMe, can } from './auth/session'
import { LoginPage } from './auth/LoginPage'
import { ChangePasswordPage } from './auth/ChangePasswordPage'
import { AppLayout } from './layout/AppLayout'
import { ROUTES, PUBLIC_ROUTES } from './routes'

/**
 * A phone or desktop set to reduce motion (an accessibility setting, and battery saver on many
 * phones) gets antd's components without their opening and closing animations.
 */
const REDUCED_MOTION =
  typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches

/**
 * Colours that pass WCAG 2 AA contrast (4.5:1) for the small text of a phone in daylight: the
 * orange of buttons darkened from #d46b08 (3.6:1 under white text) and secondary text from 45 % to
 * 65 % black (the e2e journeys run axe-core on every screen).
 */
const THEME = {
  token: {
    motion: !REDUCED_MOTION,
    colorPrimary: '#ad4e00',
    // Hovered and pressed buttons and links darken instead of lightening: white on them (and
    // they on white) keeps WCAG AA's 4.5:1 while the pointer rests on a button just pressed.
    colorPrimaryHover: '#873800',
    colorPrimaryActive: '#612500',
    colorLinkHover: '#003eb3',
    colorLinkActive: '#002c8c',
    colorLink: '#0958d9',
    colorInfo: '#0958d9',
    colorSuccess: '#389e0d',
    colorWarning: '#d48806',
    colorError: '#cf1322',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
    // Seeds of the tag palettes: a tag's text (shade 7) on its tint (shade 1) reaches 4.5:1.
    orange: '#d46b08',
    gold: '#d48806',
    green: '#389e0d',
    volcano: '#d4380d',
    cyan: '#08979c',
  },
  components: {
    // The selected menu entry on its light orange background.
    Menu: { itemSelectedColor: '#873800' },
  },
}

export function App(): React.JSX.Element {
  const { i18n } = useTranslation()
  const { me, loading } = useMe()
  const publicPage = PUBLIC_ROUTES.find((r) => r.matches(window.location.pathname))
  let body: React.JSX.Element
  if (publicPage)
    // Outside the login shell (a poster's self-report): the same page with or without a session.
    body = (
      <Routes>
        <Route path={publicPage.path} element={publicPage.element()} />
      </Routes>
    )
  else if (loading) body = <Spin fullscreen />
  else if (!me) body = <LoginPage />
  else if (me.mustChangePassword) body = <ChangePasswordPage forced />
  else
    body = (
      <Routes>
        <Route element={<AppLayout me={me} />}>
          {ROUTES.filter((r) => !r.permission || can(me, r.permission)).map((r) =>
            r.path === '' ? (
              <Route key="" index element={r.element(me)} />
            ) : (
              <Route key={r.path} path={r.path} element={r.element(me)} />
            ),
          )}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    )
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={THEME}>
      <AntApp>{body}</AntApp>
    </ConfigProvider>
  )
}
