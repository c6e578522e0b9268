import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  List,
  Modal,
  Segmented,
  Space,
  Switch,
  Tag,
} from 'antd'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useParams } from 'react-router'
import { ApiError } from '../api'
import { useApiError, useMessageText } from '../lib/apiError'
import { newClientId } from '../testing/scanQueue'
import { checkpointsApi } from './api'
import { GateQueue, gateApi, type PassageBody, type PassageOut } from './gateApi'

type Outcome = { kind: 'judged'; p: PassageOut } | { kind: 'queued' } | null

const isOffline = (e: unknown): boolean => !(e instanceof ApiError) || e.status === 0

/**
 * /checkpoints/:id/gate — the entry/exit log of a gate in a lockdown, on a phone: a wedge scanner
 * types a resident code, an exit pass, an ID number or another document and Enter; the screen
 * says 放行 or 拒绝 in big text with every reason. Offline, the scan is queued on the phone (it
 * cannot be judged) and sent once when the network is back.
 */
export function GatePage(): React.JSX.Element {
  const { id = '' } = useParams()
  const { t } = useTranslation()
  const text = useMessageText()
  const apiError = useApiError()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const queue = useMemo(() => new GateQueue(`weiguang.gate.${id}`), [id])
  const [direction, setDirection] = useState<'out' | 'in'>('out')
  const [scan, setScan] = useState('')
  const [outcome, setOutcome] = useState<Outcome>(null)
  const [queued, setQueued] = useState(() => queue.items().length)
  const [refusedOnly, setRefusedOnly] = useState(false)
  const [visitorOpen, setVisitorOpen] = useState(false)
  const [form] = Form.useForm()
  const input = useRef<React.ComponentRef<typeof Input>>(null)
  const cp = useQuery({ queryKey: ['checkpoint', id], queryFn: () => checkpointsApi.get(id) })
  const log = useQuery({
    queryKey: ['gate-passages', id, refusedOnly],
    queryFn: () => gateApi.list(id, refusedOnly),
  })

  const sync = useCallback(async () => {
    for (const p of queue.items()) {
      try {
        await gateApi.log(id, p)
        queue.remove(p.clientId)
      } catch (e) {
        if (isOffline(e)) break
        // Judged and refused as a request (a scan no one knows): it will never pass; drop it.
        queue.remove(p.clientId)
        message.error(apiError(e))
      }
    }
    setQueued(queue.items().length)
    void qc.invalidateQueries({ queryKey: ['gate-passages', id] })
  }, [apiError, id, message, qc, queue])

  useEffect(() => {
    const onOnline = (): void => void sync()
    window.addEventListener('online', onOnline)
    const timer = window.setInterval(onOnline, 15_000)
    void sync()
    return () => {
      window.removeEventListener('online', onOnline)
      window.clearInterval(timer)
    }
  }, [sync])

  const send = useMutation({
    mutationFn: (body: PassageBody) => gateApi.log(id, body),
    // Sent even when the browser says it is offline: a failed send is what queues the scan.
    networkMode: 'always',
    onSuccess: (p) => {
      setOutcome({ kind: 'judged', p })
      void qc.invalidateQueries({ queryKey: ['gate-passages', id] })
    },
    onError: (e, body) => {
      if (isOffline(e)) {
        queue.push(body as PassageBody & { clientId: string })
        setQueued(queue.items().length)
        setOutcome({ kind: 'queued' })
      } else {
        setOutcome(null)
        message.error(apiError(e))
      }
    },
    onSettled: () => input.current?.focus(),
  })

  const submit = (
    body: Omit<PassageBody, 'clientId' | 'at' | 'direction'>,
    dir = direction,
  ): void => {
    send.mutate({ clientId: newClientId(), direction: dir, at: new Date().toISOString(), ...body })
  }
  const onScan = (): void => {
    const s = scan.trim()
    if (!s) return
    setScan('')
    submit({ scan: s })
  }

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <h2 style={{ margin: 0 }}>{t('checkpoints.gate.title', { name: cp.data?.name ?? '' })}</h2>
      <Segmented
        block
        size="large"
        value={direction}
        onChange={(v) => setDirection(v as 'out' | 'in')}
        options={[
          { value: 'out', label: t('checkpoints.gate.out') },
          { value: 'in', label: t('checkpoints.gate.in') },
        ]}
      />
      <Space.Compact style={{ width: '100%' }}>
        <Input
          ref={input}
          size="large"
          autoFocus
          value={scan}
          aria-label={t('checkpoints.gate.scan')}
          placeholder={t('checkpoints.gate.scan')}
          data-testid="gate-scan"
          onChange={(e) => setScan(e.target.value)}
          onPressEnter={onScan}
        />
        <Button size="large" type="primary" onClick={onScan} loading={send.isPending}>
          {t('checkpoints.gate.judge')}
        </Button>
      </Space.Compact>
      <Button block size="large" onClick={() => setVisitorOpen(true)}>
        {t('checkpoints.gate.visitor')}
      </Button>
      {queued > 0 ? (
        <Alert type="warning" showIcon title={t('checkpoints.gate.queued', { count: queued })} />
      ) : null}
      {outcome?.kind === 'queued' ? (
        <Card data-testid="gate-outcome" style={{ borderColor: '#d48806' }}>
          <div style={{ fontSize: 32, fontWeight: 700, color: '#ad6800' }}>
            {t('checkpoints.gate.offline')}
          </div>
          <div>{t('checkpoints.gate.offlineHint')}</div>
        </Card>
      ) : null}
      {outcome?.kind === 'judged' ? (
        <Card
          data-testid="gate-outcome"
          style={{ borderColor: outcome.p.allowed ? '#237804' : '#a8071a', borderWidth: 3 }}
        >
          <div
            style={{
              fontSize: 48,
              fontWeight: 700,
              color: outcome.p.allowed ? '#237804' : '#a8071a',
            }}
          >
            {outcome.p.allowed ? t('checkpoints.gate.allowed') : t('checkpoints.gate.refused')}
          </div>
          <div style={{ fontSize: 18 }}>
            {[outcome.p.name, outcome.p.household].filter(Boolean).join(' · ')}
            {outcome.p.kind === 'visitor' ? ` · ${t('checkpoints.gate.visitorTag')}` : ''}
          </div>
          <ul style={{ fontSize: 20, paddingLeft: 20, marginBottom: 0 }} data-testid="gate-reasons">
            {outcome.p.reasons.map((r) => (
              <li key={r.code}>{text(r.code, r.params) ?? t('checkpoints.gate.unknownReason')}</li>
            ))}
          </ul>
          {outcome.p.usedPass ? <div>{t('checkpoints.gate.passUsed')}</div> : null}
        </Card>
      ) : null}
      <Card
        size="small"
        title={t('checkpoints.gate.today', {
          total: log.data?.counts.total ?? 0,
          refused: log.data?.counts.refused ?? 0,
        })}
        extra={
          <Space>
            {t('checkpoints.gate.refusedOnly')}
            <Switch
              checked={refusedOnly}
              onChange={setRefusedOnly}
              aria-label={t('checkpoints.gate.refusedOnly')}
            />
          </Space>
        }
      >
        <List
          data-testid="gate-log"
          dataSource={log.data?.items ?? []}
          renderItem={(p) => (
            <List.Item>
              <Space orientation="vertical" size={0}>
                <Space wrap>
                  <Tag color={p.allowed ? 'green' : 'red'}>
                    {p.allowed ? t('checkpoints.gate.allowed') : t('checkpoints.gate.refused')}
                  </Tag>
                  <span>
                    {p.direction === 'out' ? t('checkpoints.gate.out') : t('checkpoints.gate.in')}
                  </span>
                  <span>{p.name}</span>
                  <span>{p.household}</span>
                  <span>{new Date(p.at).toLocaleTimeString('zh-CN', { hour12: false })}</span>
                </Space>
                {p.reasons.map((r) => (
                  <span key={r.code} style={{ color: '#a8071a' }}>
                    {text(r.code, r.params) ?? t('checkpoints.gate.unknownReason')}
                  </span>
                ))}
              </Space>
            </List.Item>
          )}
        />
      </Card>
      <Modal
        open={visitorOpen}
        title={t('checkpoints.gate.visitor')}
        onCancel={() => setVisitorOpen(false)}
        onOk={() => form.submit()}
        okText={t('checkpoints.gate.judge')}
        // The cursor goes back to the scan field, not to 登记访客: a wedge scanner's next Enter
        // must judge the next scan, never reopen this form.
        focusable={{ focusTriggerAfterClose: false }}
        afterClose={() => input.current?.focus()}
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v: { name: string; idNumber?: string; phone?: string }) => {
            setVisitorOpen(false)
            form.resetFields()
            submit(
              {
                visitor: {
                  name: v.name,
                  ...(v.idNumber ? { idNumber: v.idNumber } : {}),
                  ...(v.phone ? { phone: v.phone } : {}),
                },
              },
              'in',
            )
          }}
        >
          <Form.Item
            name="name"
            label={t('checkpoints.gate.visitorName')}
            rules={[{ required: true }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="idNumber" label={t('checkpoints.gate.visitorId')}>
            <Input />
          </Form.Item>
          <Form.Item name="phone" label={t('checkpoints.gate.visitorPhone')}>
            <Input inputMode="tel" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  )
}
