import { Table, Tag } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../api'
import type { RoleRow } from '../core/api'
import { useMessageText } from '../lib/apiError'

/** The permission table of every role (read-only: roles are defined in code, per domain). */
export function RolesTable(): React.JSX.Element {
  const { t } = useTranslation()
  const text = useMessageText()
  const q = useQuery({
    queryKey: ['roles'],
    queryFn: () => api.get<{ items: RoleRow[] }>('/api/roles'),
  })
  return (
    <Table<RoleRow>
      rowKey="role"
      size="small"
      pagination={false}
      loading={q.isLoading}
      dataSource={q.data?.items ?? []}
      columns={[
        {
          title: t('users.role'),
          dataIndex: 'role',
          render: (r: string) => t(`roles.${r}`),
          width: 200,
        },
        {
          title: t('roles.permissions'),
          dataIndex: 'permissions',
          render: (ps: string[]) =>
            ps.length
              ? ps.map((p) => (
                  <Tag key={p}>
                    {text(`PERMISSION_${p}`) ??
                      t(`permissions.${p}`, { defaultValue: t('roles.permissions') })}
                  </Tag>
                ))
              : '—',
        },
        {
          title: t('roles.assignable'),
          dataIndex: 'assignable',
          render: (a: boolean) => (a ? t('roles.yes') : ''),
          width: 120,
        },
      ]}
    />
  )
}
