import { useState } from 'react'
import { Alert, Button, Card, Form, Input, Select, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, ApiError, type Me } from '../api'
import { LANGUAGES, setLanguage } from '../i18n'
import { useSetMe } from './session'
import { useApiError } from '../lib/apiError'

export function LoginPage(): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const setMe = useSetMe()
  const apiError = useApiError()
  const [error, setError] = useState<string | null>(null)
  const [needTotp, setNeedTotp] = useState(false)
  const [busy, setBusy] = useState(false)

  async function submit(values: {
    username: string
    password: string
    totp?: string
  }): Promise<void> {
    setBusy(true)
    setError(null)
    try {
      setMe(await api.post<Me>('/api/auth/login', values))
    } catch (err) {
      if (err instanceof ApiError && err.code === 'TOTP_REQUIRED') setNeedTotp(true)
      else setError(apiError(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'grid',
        placeItems: 'center',
        background: 'linear-gradient(160deg,#fff7e6,#f5f5f5)',
      }}
    >
      <Card style={{ width: 380, maxWidth: '94vw' }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('app.name')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input autoComplete="username" autoFocus data-testid="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {needTotp && (
            <Form.Item
              name="totp"
              label={t('login.totp')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpHint') }]}
            >
              <Input inputMode="numeric" maxLength={6} autoFocus />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <Select
          size="small"
          variant="borderless"
          aria-label={t('a11y.language')}
          style={{ marginTop: 16 }}
          value={i18n.language}
          onChange={setLanguage}
          options={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
        />
      </Card>
    </div>
  )
}
