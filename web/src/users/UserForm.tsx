import { Form, Input, Select, Switch, TreeSelect } from 'antd'
import type { FormInstance } from 'antd'
import { useTranslation } from 'react-i18next'
import type { Me, Role } from '../api'
import { useDivisionTree } from '../tree/useDivisionTree'

const ASSIGNABLE: Partial<Record<Role, Role[]>> = {
  admin: [
    'admin',
    'command',
    'community_lead',
    'grid_worker',
    'building_head',
    'checkpoint',
    'sampler',
    'doctor',
    'resident',
  ],
  community_lead: ['grid_worker', 'building_head', 'checkpoint', 'sampler', 'doctor', 'resident'],
}

export interface UserFormValues {
  username?: string
  displayName: string
  role: Role
  /** The chosen nodes with their names (labelInValue), so an edited user's scope shows names, not ids. */
  scopeDivisionIds: { value: string; label?: React.ReactNode }[]
  phone?: string
  disabled?: boolean
}

const PHONE = /^(\+?86)?\s*1[3-9]\d(\s|-)?\d{4}(\s|-)?\d{4}$/

export function UserForm({
  me,
  form,
  editing,
}: {
  me: Me
  form: FormInstance<UserFormValues>
  editing: boolean
}): React.JSX.Element {
  const { t } = useTranslation()
  const { nodes, loadChildren } = useDivisionTree()
  const roles = ASSIGNABLE[me.role] ?? []
  return (
    <Form form={form} layout="vertical" requiredMark="optional" validateTrigger="onChange">
      {!editing && (
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[
            { required: true, message: t('form.required') },
            { pattern: /^[A-Za-z0-9._-]{3,64}$/, message: t('users.usernameRule') },
          ]}
        >
          <Input autoComplete="off" data-testid="user-username" />
        </Form.Item>
      )}
      <Form.Item
        name="displayName"
        label={t('users.displayName')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Input data-testid="user-display-name" />
      </Form.Item>
      <Form.Item
        name="role"
        label={t('users.role')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Select
          options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
          data-testid="user-role"
        />
      </Form.Item>
      <Form.Item
        name="scopeDivisionIds"
        label={t('users.scope')}
        extra={t('users.scopeHint')}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, v: UserFormValues['scopeDivisionIds'] | undefined) =>
              getFieldValue('role') === 'admin' || (v && v.length > 0)
                ? Promise.resolve()
                : Promise.reject(new Error(t('users.scopeRequired'))),
          }),
        ]}
      >
        <TreeSelect
          multiple
          labelInValue
          treeData={nodes}
          loadData={(n) => loadChildren(String(n.value ?? n.key))}
          treeNodeLabelProp="title"
          placeholder={t('users.scopePlaceholder')}
          data-testid="user-scope"
        />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('users.phone')}
        rules={[{ pattern: PHONE, message: t('users.phoneRule') }]}
      >
        <Input inputMode="tel" placeholder="138 0013 8000" />
      </Form.Item>
      {editing && (
        <Form.Item name="disabled" label={t('users.disabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
      )}
    </Form>
  )
}
