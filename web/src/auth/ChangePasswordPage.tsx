import { useState } from 'react'
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, type Me } from '../api'
import { useApiError } from '../lib/apiError'
import { useSetMe } from './session'

export function ChangePasswordForm({ onDone }: { onDone: () => void }): React.JSX.Element {
  const { t } = useTranslation()
  const apiError = useApiError()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  async function submit(v: { currentPassword: string; newPassword: string }): Promise<void> {
    setBusy(true)
    setError(null)
    try {
      await api.post('/api/auth/password', {
        currentPassword: v.currentPassword,
        newPassword: v.newPassword,
      })
      onDone()
    } catch (err) {
      setError(apiError(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Form layout="vertical" onFinish={submit} requiredMark={false}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form.Item
        name="currentPassword"
        label={t('password.current')}
        rules={[{ required: true, message: t('form.required') }]}
      >
        <Input.Password autoComplete="current-password" data-testid="pw-current" />
      </Form.Item>
      <Form.Item
        name="newPassword"
        label={t('password.new')}
        extra={t('password.rules')}
        rules={[{ required: true, min: 10, message: t('password.rules') }]}
      >
        <Input.Password autoComplete="new-password" data-testid="pw-new" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('password.confirm')}
        dependencies={['newPassword']}
        rules={[
          { required: true, message: t('form.required') },
          ({ getFieldValue }) => ({
            validator: (_, value) =>
              value === getFieldValue('newPassword')
                ? Promise.resolve()
                : Promise.reject(new Error(t('password.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={busy} data-testid="pw-submit">
        {t('password.submit')}
      </Button>
    </Form>
  )
}

export function ChangePasswordPage({ forced }: { forced?: boolean }): React.JSX.Element {
  const { t } = useTranslation()
  const setMe = useSetMe()
  const { message } = App.useApp()
  return (
    <div
      style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f5f5' }}
    >
      <Card style={{ width: 420, maxWidth: '94vw' }}>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {t('password.title')}
        </Typography.Title>
        {forced && (
          <Alert
            type="warning"
            showIcon
            title={t('password.forced')}
            style={{ marginBottom: 16 }}
          />
        )}
        <ChangePasswordForm
          onDone={async () => {
            void message.success(t('password.changed'))
            setMe(await api.get<Me>('/api/auth/me'))
          }}
        />
      </Card>
    </div>
  )
}
