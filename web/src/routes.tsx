import { lazy, Suspense, type ReactNode } from 'react'
import { ConfigProvider, Spin } from 'antd'
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  EnvironmentOutlined,
  ExperimentOutlined,
  GlobalOutlined,
  HomeOutlined,
  IdcardOutlined,
  ScanOutlined,
  SafetyCertificateOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
  UploadOutlined,
  UserOutlined,
} from '@ant-design/icons'
import type { Me } from './api'
import type { can } from './auth/session'
// In the entry chunk anyway: the layout's alert badge uses its useAlerts hook.
import { AlertsPage } from './testing/AlertsPage'

// One chunk per page, fetched when its route is first opened: a sampler's phone loading
// /sampling does not download ECharts (round results) or the registry and import screens.
const HomePage = lazy(() => import('./home/HomePage').then((m) => ({ default: m.HomePage })))
const UsersPage = lazy(() => import('./users/UsersPage').then((m) => ({ default: m.UsersPage })))
const TreePage = lazy(() => import('./tree/TreePage').then((m) => ({ default: m.TreePage })))
const AuditPage = lazy(() => import('./audit/AuditPage').then((m) => ({ default: m.AuditPage })))
const AccountPage = lazy(() =>
  import('./account/AccountPage').then((m) => ({ default: m.AccountPage })),
)
const RegistryPage = lazy(() =>
  import('./registry/RegistryPage').then((m) => ({ default: m.RegistryPage })),
)
const ProvisionalPage = lazy(() =>
  import('./registry/ProvisionalPage').then((m) => ({ default: m.ProvisionalPage })),
)
const ImportPage = lazy(() =>
  import('./imports/ImportPage').then((m) => ({ default: m.ImportPage })),
)
const RoundsPage = lazy(() =>
  import('./testing/RoundsPage').then((m) => ({ default: m.RoundsPage })),
)
const RoundPage = lazy(() => import('./testing/RoundPage').then((m) => ({ default: m.RoundPage })))
const SamplingPage = lazy(() =>
  import('./testing/SamplingPage').then((m) => ({ default: m.SamplingPage })),
)
const RoutinePage = lazy(() =>
  import('./testing/RoutinePage').then((m) => ({ default: m.RoutinePage })),
)
const MeasuresBoard = lazy(() =>
  import('./measures/MeasuresBoard').then((m) => ({ default: m.MeasuresBoard })),
)
const NoticePage = lazy(() =>
  import('./measures/NoticePage').then((m) => ({ default: m.NoticePage })),
)
const DoorSensorsPage = lazy(() =>
  import('./measures/DoorSensorsPage').then((m) => ({ default: m.DoorSensorsPage })),
)
const ZonesPage = lazy(() => import('./zones/ZonesPage').then((m) => ({ default: m.ZonesPage })))
const ZoneAreaPage = lazy(() =>
  import('./zones/ZoneAreaPage').then((m) => ({ default: m.ZoneAreaPage })),
)
const ExternalAreasPage = lazy(() =>
  import('./arrivals/ExternalAreasPage').then((m) => ({ default: m.ExternalAreasPage })),
)
const CheckpointsPage = lazy(() =>
  import('./checkpoints/CheckpointsPage').then((m) => ({ default: m.CheckpointsPage })),
)
const DeskPage = lazy(() => import('./checkpoints/DeskPage').then((m) => ({ default: m.DeskPage })))
const GatePage = lazy(() => import('./checkpoints/GatePage').then((m) => ({ default: m.GatePage })))
const PosterPage = lazy(() =>
  import('./checkpoints/PosterPage').then((m) => ({ default: m.PosterPage })),
)
const PolicyPage = lazy(() =>
  import('./policy/PolicyPage').then((m) => ({ default: m.PolicyPage })),
)

/** The layout (menu, header) stays on screen while a page's chunk loads. */
const page = (element: React.JSX.Element): React.JSX.Element => (
  <Suspense fallback={<Spin style={{ display: 'block', margin: '48px auto' }} />}>
    {element}
  </Suspense>
)

/**
 * Screens used outdoors on a phone, often with gloves (sampling, a round with its missed list):
 * every control at least 44 px high, the WCAG 2.5.5 target size.
 */
export const FIELD_THEME = {
  token: { controlHeight: 44, controlHeightSM: 44, controlHeightLG: 48 },
}
const fieldPage = (element: React.JSX.Element): React.JSX.Element => (
  <ConfigProvider theme={FIELD_THEME}>{page(element)}</ConfigProvider>
)

export interface AppRoute {
  /** Below the layout: '' is the home page. */
  path: string
  /** Without it the route (and its menu entry) does not exist for this user. */
  permission?: Parameters<typeof can>[1]
  /** In the side menu, in table order: the label's locale key and its icon. */
  menu?: { label: string; icon: ReactNode }
  element: (me: Me) => React.JSX.Element
}

/**
 * Every screen, once: App.tsx makes its routes from this table and AppLayout its menu, so a page
 * cannot be reachable without its menu entry (or listed in the menu without a route), and both
 * ask for the same permission.
 */
export const ROUTES: readonly AppRoute[] = [
  {
    path: '',
    menu: { label: 'menu.home', icon: <HomeOutlined /> },
    element: (me) => page(<HomePage me={me} />),
  },
  {
    path: 'registry',
    permission: 'registry:read',
    menu: { label: 'menu.registry', icon: <IdcardOutlined /> },
    element: (me) => page(<RegistryPage me={me} />),
  },
  {
    // 临时人员: walk-ins registered at sampling desks, to confirm, merge or mark passing through.
    path: 'registry/provisional',
    permission: 'registry:write',
    menu: { label: 'menu.provisional', icon: <IdcardOutlined /> },
    element: (me) => fieldPage(<ProvisionalPage me={me} />),
  },
  {
    path: 'imports',
    permission: 'registry:write',
    menu: { label: 'menu.imports', icon: <UploadOutlined /> },
    element: (me) => page(<ImportPage me={me} />),
  },
  {
    path: 'rounds',
    permission: 'testing:read',
    menu: { label: 'menu.rounds', icon: <ExperimentOutlined /> },
    element: (me) => page(<RoundsPage me={me} />),
  },
  {
    path: 'rounds/:id',
    permission: 'testing:read',
    element: (me) => fieldPage(<RoundPage me={me} />),
  },
  {
    path: 'routine',
    permission: 'testing:read',
    menu: { label: 'menu.routine', icon: <ScheduleOutlined /> },
    element: (me) => page(<RoutinePage me={me} />),
  },
  {
    path: 'sampling',
    permission: 'testing:sample',
    menu: { label: 'menu.sampling', icon: <ScanOutlined /> },
    element: (me) => fieldPage(<SamplingPage me={me} />),
  },
  {
    path: 'measures',
    permission: 'measures:read',
    menu: { label: 'menu.measures', icon: <SafetyCertificateOutlined /> },
    element: (me) => fieldPage(<MeasuresBoard me={me} />),
  },
  {
    // 门磁管理: reached from the measures board (no menu entry of its own).
    path: 'measures/doors',
    permission: 'doors:read',
    element: (me) => fieldPage(<DoorSensorsPage me={me} />),
  },
  {
    // 告知书 / 解除通知书: a page to print (no menu entry; the print leaves the app's chrome out).
    path: 'measures/:id/notice/:kind',
    permission: 'measures:read',
    element: () => page(<NoticePage />),
  },
  {
    path: 'zones',
    permission: 'zones:read',
    menu: { label: 'menu.zones', icon: <EnvironmentOutlined /> },
    element: (me) => fieldPage(<ZonesPage me={me} />),
  },
  {
    // An area's page: reached from the areas board (no menu entry of its own).
    path: 'zones/:id',
    permission: 'zones:read',
    element: (me) => fieldPage(<ZoneAreaPage me={me} />),
  },
  {
    path: 'checkpoints',
    permission: 'checkpoints:read',
    menu: { label: 'menu.checkpoints', icon: <SafetyOutlined /> },
    element: (me) => page(<CheckpointsPage me={me} />),
  },
  {
    path: 'external-areas',
    permission: 'arrivals:read',
    menu: { label: 'menu.externalAreas', icon: <GlobalOutlined /> },
    element: (me) => fieldPage(<ExternalAreasPage me={me} />),
  },
  {
    // The gate desk on a phone (reached from the checkpoints list).
    path: 'checkpoints/:id/desk',
    permission: 'checkpoints:desk',
    element: (me) => fieldPage(<DeskPage me={me} />),
  },
  {
    // The gate's entry/exit log on a phone (reached from the checkpoints list and the desk).
    path: 'checkpoints/:id/gate',
    permission: 'checkpoints:gate',
    element: () => fieldPage(<GatePage />),
  },
  {
    // The poster to print (no menu entry; the print leaves the app's chrome out).
    path: 'checkpoints/:id/poster',
    permission: 'checkpoints:manage',
    element: () => page(<PosterPage />),
  },
  {
    path: 'alerts',
    permission: 'alerts:read',
    menu: { label: 'menu.alerts', icon: <AlertOutlined /> },
    element: () => <AlertsPage />,
  },
  {
    path: 'tree',
    permission: 'tree:read',
    menu: { label: 'menu.tree', icon: <ApartmentOutlined /> },
    element: (me) => page(<TreePage me={me} />),
  },
  {
    path: 'users',
    permission: 'users:read',
    menu: { label: 'menu.users', icon: <TeamOutlined /> },
    element: (me) => page(<UsersPage me={me} />),
  },
  {
    path: 'audit',
    permission: 'audit:read',
    menu: { label: 'menu.audit', icon: <AuditOutlined /> },
    element: (me) => page(<AuditPage me={me} />),
  },
  {
    path: 'policy',
    permission: 'policy:read',
    menu: { label: 'menu.policy', icon: <SettingOutlined /> },
    element: (me) => page(<PolicyPage me={me} />),
  },
  {
    path: 'account',
    menu: { label: 'menu.account', icon: <UserOutlined /> },
    element: (me) => page(<AccountPage me={me} />),
  },
]

const PublicReportPage = lazy(() =>
  import('./checkpoints/PublicReportPage').then((m) => ({ default: m.PublicReportPage })),
)

/** Pages outside the login shell: no session, no menu (the self-report a checkpoint's poster opens). */
export const PUBLIC_ROUTES: readonly {
  path: string
  matches: (pathname: string) => boolean
  element: () => React.JSX.Element
}[] = [
  {
    path: '/report/:token',
    matches: (p) => /^\/report\/[\w-]+\/?$/.test(p),
    element: () => fieldPage(<PublicReportPage />),
  },
]
