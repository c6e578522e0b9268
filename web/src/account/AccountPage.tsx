import { useState } from 'react'
import { App, Button, Card, Col, Form, Image, Input, Row, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, type Me } from '../api'
import type { TotpSetup } from '../core/api'
import { useApiError } from '../lib/apiError'
import { ChangePasswordForm } from '../auth/ChangePasswordPage'
import { ME_KEY } from '../auth/session'
import { useQueryClient } from '@tanstack/react-query'

function TotpCard({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [setup, setSetup] = useState<TotpSetup | null>(null)
  const refresh = (): void => void qc.invalidateQueries({ queryKey: ME_KEY })
  const apiError = useApiError()
  const fail = (err: unknown): void => void message.error(apiError(err))
  if (me.totpEnabled)
    return (
      <Form
        layout="inline"
        onFinish={(v: { password: string }) =>
          api.post('/api/auth/totp/disable', v).then(refresh, fail)
        }
      >
        <Typography.Paragraph>{t('totp.on')}</Typography.Paragraph>
        <Form.Item name="password" rules={[{ required: true, message: t('form.required') }]}>
          <Input.Password placeholder={t('login.password')} />
        </Form.Item>
        <Button danger htmlType="submit">
          {t('totp.disable')}
        </Button>
      </Form>
    )
  if (!setup)
    return (
      <Button onClick={() => api.post<TotpSetup>('/api/auth/totp/setup').then(setSetup, fail)}>
        {t('totp.start')}
      </Button>
    )
  return (
    <div>
      <Typography.Paragraph>{t('totp.scan')}</Typography.Paragraph>
      <Image src={setup.qrDataUrl} width={180} preview={false} alt="TOTP QR" />
      <Typography.Paragraph copyable code>
        {setup.secret}
      </Typography.Paragraph>
      <Form
        layout="inline"
        onFinish={(v: { code: string }) =>
          api.post('/api/auth/totp/enable', v).then(() => (setSetup(null), refresh()), fail)
        }
      >
        <Form.Item
          name="code"
          rules={[{ required: true, pattern: /^\d{6}$/, message: t('login.totpHint') }]}
        >
          <Input inputMode="numeric" maxLength={6} placeholder="123456" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('totp.enable')}
        </Button>
      </Form>
    </div>
  )
}

export function AccountPage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={12}>
        <Card title={t('password.title')}>
          <ChangePasswordForm onDone={() => void message.success(t('password.changed'))} />
        </Card>
      </Col>
      {me.totpAllowed && (
        <Col xs={24} md={12}>
          <Card title={t('totp.title')}>
            <TotpCard me={me} />
          </Card>
        </Col>
      )}
    </Row>
  )
}
