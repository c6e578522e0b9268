import { useState } from 'react'
import { App, Button, Card, Form, Input, Modal, Select, Space, Tabs, Tag, Typography } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, query, ROLES, type Me, type Page, type User } from '../api'
import { KeysetTable } from '../lib/KeysetTable'
import { useKeysetList } from '../lib/useKeysetList'
import { can } from '../auth/session'
import { UserForm, type UserFormValues } from './UserForm'
import { RolesTable } from './RolesTable'
import { useApiError } from '../lib/apiError'
import type { CreatedUser, ResetPassword } from '../core/api'

export function UsersPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message, modal } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  const [role, setRole] = useState<string | undefined>()
  const [editing, setEditing] = useState<User | 'new' | null>(null)
  const [revealed, setRevealed] = useState<Record<string, string>>({})
  const [form] = Form.useForm<UserFormValues>()
  const manage = can(me, 'users:manage')

  const list = useKeysetList(['users', q, role, me.selectedScope?.id], (after) =>
    api.get<Page<User>>(
      `/api/users${query({ limit: 50, q: q || undefined, role, after: after ?? undefined })}`,
    ),
  )

  function open(u: User | 'new'): void {
    setEditing(u)
    form.resetFields()
    // The scope field shows node names (labelInValue): the tree may not have loaded those nodes yet.
    if (u !== 'new')
      form.setFieldsValue({
        displayName: u.displayName,
        role: u.role,
        scopeDivisionIds: u.scope.map((s) => ({ value: s.id, label: s.name })),
        disabled: u.disabled,
      })
  }

  async function save(): Promise<void> {
    const { scopeDivisionIds: scope, ...fields } = await form.validateFields()
    const v = { ...fields, scopeDivisionIds: scope.map((s) => s.value) }
    try {
      if (editing === 'new') {
        const out = await api.post<CreatedUser>('/api/users', { ...v, phone: v.phone || undefined })
        modal.success({
          title: t('users.created', { name: out.user.username }),
          content: (
            <div>
              {t('users.tempPassword')}
              <Typography.Paragraph
                copyable
                code
                data-testid="temp-password"
                style={{ fontSize: 16, marginTop: 8 }}
              >
                {out.temporaryPassword}
              </Typography.Paragraph>
              {t('users.tempPasswordHint')}
            </div>
          ),
        })
      } else if (editing) {
        const { username: _u, ...rest } = v
        await api.patch(`/api/users/${editing.id}`, {
          ...rest,
          phone: v.phone === undefined ? undefined : v.phone || null,
        })
        void message.success(t('form.saved'))
      }
      setEditing(null)
      void qc.invalidateQueries({ queryKey: ['users'] })
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  async function reveal(u: User): Promise<void> {
    try {
      const full = await api.get<User>(`/api/users/${u.id}?reveal=phone`)
      setRevealed((r) => ({ ...r, [u.id]: full.phone ?? '' }))
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  async function resetPassword(u: User): Promise<void> {
    modal.confirm({
      title: t('users.resetConfirm', { name: u.username }),
      onOk: async () => {
        try {
          const out = await api.post<ResetPassword>(`/api/users/${u.id}/reset-password`)
          modal.success({
            title: t('users.tempPassword'),
            content: (
              <Typography.Paragraph copyable code>
                {out.temporaryPassword}
              </Typography.Paragraph>
            ),
          })
        } catch (err) {
          void message.error(apiError(err))
        }
      },
    })
  }

  return (
    <Card
      title={t('menu.users')}
      extra={
        manage && (
          <Button type="primary" onClick={() => open('new')} data-testid="user-new">
            {t('users.new')}
          </Button>
        )
      }
    >
      <Tabs
        items={[
          {
            key: 'users',
            label: t('users.tabUsers'),
            children: (
              <>
                <Space style={{ marginBottom: 16 }} wrap>
                  <Input.Search
                    allowClear
                    placeholder={t('users.search')}
                    onSearch={setQ}
                    style={{ width: 240 }}
                  />
                  <Select
                    allowClear
                    placeholder={t('users.role')}
                    style={{ width: 160 }}
                    value={role}
                    onChange={setRole}
                    options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                  />
                </Space>
                <KeysetTable<User>
                  list={list}
                  rowKey="id"
                  size="middle"
                  scroll={{ x: 800 }}
                  columns={[
                    { title: t('users.username'), dataIndex: 'username' },
                    { title: t('users.displayName'), dataIndex: 'displayName' },
                    {
                      title: t('users.role'),
                      dataIndex: 'role',
                      render: (r: string) => t(`roles.${r}`),
                    },
                    {
                      title: t('users.scope'),
                      render: (_, u) =>
                        u.scope.length ? (
                          u.scope.map((s) => <Tag key={s.id}>{s.name}</Tag>)
                        ) : (
                          <Tag color="orange">{t('scope.whole')}</Tag>
                        ),
                    },
                    {
                      title: t('users.phone'),
                      render: (_, u) =>
                        u.phone && (
                          <Space>
                            <span>{revealed[u.id] ?? u.phone}</span>
                            {can(me, 'pii:reveal') && !revealed[u.id] && (
                              <Button size="small" type="link" onClick={() => void reveal(u)}>
                                {t('pii.reveal')}
                              </Button>
                            )}
                          </Space>
                        ),
                    },
                    {
                      title: t('users.status'),
                      render: (_, u) =>
                        u.disabled ? (
                          <Tag color="red">{t('users.disabled')}</Tag>
                        ) : u.mustChangePassword ? (
                          <Tag color="gold">{t('users.pendingPassword')}</Tag>
                        ) : (
                          <Tag color="green">{t('users.active')}</Tag>
                        ),
                    },
                    ...(manage
                      ? [
                          {
                            title: '',
                            render: (_: unknown, u: User) => (
                              <Space>
                                <Button size="small" onClick={() => open(u)}>
                                  {t('form.edit')}
                                </Button>
                                <Button size="small" onClick={() => void resetPassword(u)}>
                                  {t('users.resetPassword')}
                                </Button>
                              </Space>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              </>
            ),
          },
          { key: 'roles', label: t('users.tabRoles'), children: <RolesTable /> },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('users.new') : t('form.edit')}
        onCancel={() => setEditing(null)}
        onOk={() => void save()}
        okText={t('form.save')}
        okButtonProps={{ 'data-testid': 'user-save' } as Record<`data-${string}`, string>}
        destroyOnHidden
      >
        <UserForm me={me} form={form} editing={editing !== 'new'} />
      </Modal>
    </Card>
  )
}
