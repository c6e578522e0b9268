import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Empty,
  Input,
  List,
  Select,
  Space,
  Tag,
  Typography,
  type InputRef,
} from 'antd'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { ApiError, type Me } from '../api'
import { classifyInput, newClientId, ScanQueue, type QueuedScan } from './scanQueue'
import { afterAnswers } from './tubeCount'
import { testingApi, type Round, type ScanResult, type TubeView } from './api'
import { reasonText, useApiError } from '../lib/apiError'
import { failedText } from '../lib/refusal'
import { useSites } from './useSites'
import { PoolNote } from '../zones/PoolNote'
import { bannerOf, type CheckState } from './personCheck'
import { personCheckApi } from './personCheckApi'
import { formatDateTime } from '../lib/dates'
import { WalkInDrawer } from './WalkInDrawer'

interface Line {
  clientId: string
  label: string
  result?: ScanResult
}

/** A solid dark green with white text: antd's light green tag is below AA contrast (axe). */
const DONE_GREEN = '#237804'
const ROUND_KEY = 'wg.sampling.round'
const SITE_KEY = 'wg.sampling.site'

/** The tube this device was filling in a round, as it was saved before a reload. */
function storedTube(key: string): TubeView | null {
  try {
    const raw = localStorage.getItem(key)
    return raw ? (JSON.parse(raw) as TubeView) : null
  } catch {
    return null
  }
}

/**
 * 采样扫码 (phone-sized): a scanner at a lane scans a person's code (or types an ID number), then
 * a tube; the next people go into the same tube until it is full. A keyboard-wedge scanner types
 * and presses Enter, so the whole screen works without touching it. Scans queue on the device
 * and go up in batches; offline they wait and go up later, never twice.
 */
export function SamplingPage({ me }: { me: Me }): React.JSX.Element {
  const { t, i18n } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  /** Why the server refused a scan, in the UI language: its code from the catalogue, else what the field says. */
  const refusal = useCallback(
    (e: ScanResult['error']): string => {
      if (!e) return ''
      return reasonText(e, i18n.language) ?? t(`webui.scanRefused.${e.field}`)
    },
    [i18n.language, t],
  )
  const queryClient = useQueryClient()
  const openRounds = useQuery({ queryKey: ['sampling-rounds'], queryFn: testingApi.samplingRounds })
  // Rechecks outlive their round: closed rounds with rechecks left come in a 复核 section.
  const recheckRounds = useQuery({
    queryKey: ['sampling-recheck-rounds'],
    queryFn: testingApi.recheckRounds,
    refetchInterval: 60_000,
  })
  const rounds = {
    isLoading: openRounds.isLoading || recheckRounds.isLoading,
    error: openRounds.error ?? recheckRounds.error,
    data:
      openRounds.data || recheckRounds.data
        ? {
            items: [
              ...(openRounds.data?.items ?? []),
              ...(recheckRounds.data?.items ?? []),
            ] as (Round & { openRechecks?: number })[],
          }
        : undefined,
  }
  // The home page's 开始采样 link names the round (?round=…); it becomes this device's choice.
  const [search] = useSearchParams()
  const [roundId, setRoundId] = useState<string | undefined>(() => {
    const linked = search.get('round')
    if (linked) localStorage.setItem(ROUND_KEY, linked)
    return linked ?? localStorage.getItem(ROUND_KEY) ?? undefined
  })
  const round =
    rounds.data?.items.find((r) => r.id === roundId) ??
    (rounds.data?.items.length === 1 ? rounds.data.items[0] : undefined)
  /** A closed round takes only the recheck swabs of people with an open recheck, one tube each. */
  const recheckMode = round?.status === 'closed'
  const queue = useMemo(
    () => (round ? new ScanQueue(`wg.scans.${me.username}.${round.id}`) : null),
    [round, me.username],
  )
  const sites = useSites()
  const [siteId, setSiteId] = useState<string | undefined>(
    () => localStorage.getItem(SITE_KEY) ?? undefined,
  )
  const [value, setValue] = useState('')
  const [person, setPersonState] = useState<string | null>(null)
  const [tube, setTubeState] = useState<TubeView | null>(null)
  // The handlers run one scan after another (a person waits for their look-up), so they read the
  // pending person and the tube from refs that change at once, not from the last render.
  const personRef = useRef<string | null>(null)
  const tubeRef = useRef<TubeView | null>(null)
  const setPerson = useCallback((p: string | null): void => {
    personRef.current = p
    setPersonState(p)
  }, [])
  const setTube = useCallback(
    (next: TubeView | null | ((cur: TubeView | null) => TubeView | null)): void => {
      const v = typeof next === 'function' ? next(tubeRef.current) : next
      tubeRef.current = v
      setTubeState(v)
    },
    [],
  )
  /** The look-up of the last scanned person (banner on the person step) and whether they wait for a single tube. */
  const [check, setCheck] = useState<CheckState | null>(null)
  const singlePending = useRef(false)
  /** The pool tube set aside while a controlled person goes into a single tube. */
  const parked = useRef<TubeView | null>(null)
  const chain = useRef<Promise<void>>(Promise.resolve())
  // The open tube outlives a reload (a phone that kills the tab, a reload with no network): the
  // sampler goes on scanning people into it without scanning the tube again.
  const tubeKey = round ? `wg.tube.${me.username}.${round.id}` : null
  const restoredKey = useRef<string | null>(null)
  useEffect(() => {
    if (tubeKey === restoredKey.current) return
    restoredKey.current = tubeKey
    setTube(tubeKey ? storedTube(tubeKey) : null)
  }, [tubeKey])
  useEffect(() => {
    if (!tubeKey || restoredKey.current !== tubeKey) return
    if (tube) localStorage.setItem(tubeKey, JSON.stringify(tube))
    else localStorage.removeItem(tubeKey)
  }, [tube, tubeKey])
  const [lines, setLines] = useState<Line[]>([])
  const [waiting, setWaiting] = useState(0)
  const [offline, setOffline] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const input = useRef<InputRef>(null)
  const sending = useRef(false)

  const focus = (): void => input.current?.focus()

  const flush = useCallback(async (): Promise<void> => {
    if (!queue || !round || sending.current) return
    const batch = queue.items().slice(0, 200)
    setWaiting(queue.items().length)
    if (batch.length === 0) return
    sending.current = true
    try {
      const { results } = await testingApi.scans(round.id, batch)
      queue.remove(results.map((r) => r.clientId))
      setOffline(false)
      const byId = new Map(results.map((r) => [r.clientId, r]))
      setLines((ls) =>
        ls.map((l) => (byId.has(l.clientId) ? { ...l, result: byId.get(l.clientId) } : l)),
      )
      setTube((cur) => (cur ? afterAnswers(cur, batch, results) : cur))
      if (round.status === 'closed' && results.some((r) => r.status === 'accepted'))
        void queryClient.invalidateQueries({ queryKey: ['sampling-recheck-rounds'] })
      const rejected = results.filter((r) => r.status === 'rejected')
      if (rejected.length) setProblem(rejected.map((r) => refusal(r.error)).join('；'))
    } catch (err) {
      if (err instanceof ApiError && err.status < 500 && err.status !== 408 && err.status !== 429) {
        setProblem(apiError(err))
      } else setOffline(true)
    } finally {
      sending.current = false
      setWaiting(queue.items().length)
    }
    if (queue.items().length) setTimeout(() => void flush(), 200)
  }, [queue, round, refusal, apiError, queryClient])

  // Whatever is queued goes up now and every few seconds (a reload or a dropped network resumes here).
  useEffect(() => {
    void flush()
    const timer = setInterval(() => void flush(), 3000)
    const online = (): void => void flush()
    window.addEventListener('online', online)
    return () => {
      clearInterval(timer)
      window.removeEventListener('online', online)
    }
  }, [flush])

  function enqueue(p: string, tubeCode: string, single = false): void {
    if (!queue) return
    const scan: QueuedScan = {
      clientId: newClientId(),
      person: p,
      tube: tubeCode,
      scannedAt: new Date().toISOString(),
      ...(siteId ? { siteId } : {}),
    }
    queue.push(scan)
    setLines((ls) =>
      [{ clientId: scan.clientId, label: p.length > 12 ? '…' + p.slice(-6) : p }, ...ls].slice(
        0,
        30,
      ),
    )
    setPerson(null)
    singlePending.current = false
    // Count on the device at once; the server's answer corrects it.
    setTube((cur) => {
      const base: TubeView =
        cur && cur.code === tubeCode
          ? cur
          : {
              code: tubeCode,
              members: 0,
              capacity: single ? 1 : (round?.poolSize ?? 1),
              status: 'open',
              kind: single ? 'single' : 'pooled',
            }
      const members = base.members + 1
      return { ...base, members, status: members >= base.capacity ? 'closed' : 'open' }
    })
    void flush()
  }

  /** Who a scanned person is and whether they must be swabbed alone; no answer in time: unverified. */
  async function lookUp(p: string): Promise<CheckState> {
    if (!round || !navigator.onLine) return { kind: 'unverified' }
    try {
      return { kind: 'checked', result: await personCheckApi.check(round.id, p) }
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 404))
        return { kind: 'refused', message: apiError(err) }
      return { kind: 'unverified' }
    }
  }

  async function scanPerson(s: string): Promise<void> {
    setPerson(s)
    setCheck({ kind: 'checking' })
    const state = await lookUp(s)
    setCheck(state)
    const single = recheckMode || (state.kind === 'checked' && state.result.control.singleTube)
    singlePending.current = single
    const open = tubeRef.current
    // A controlled person never joins the open pool: they wait for a single tube of their own.
    if (!single && open && open.status === 'open') enqueue(s, open.code)
  }

  function scanTube(s: string): void {
    const cur = tubeRef.current
    const pending = personRef.current
    if (pending && singlePending.current) {
      if (cur && cur.code === s && cur.members > 0) {
        setProblem(t('sampling.check.needSingle', { code: s }))
        return
      }
      // The pool in hand is set aside, the single tube filled and closed, then the pool comes back.
      if (cur && cur.code !== s && cur.status === 'open' && cur.members > 0) parked.current = cur
      setTube(null)
      enqueue(pending, s, true)
      const pool = parked.current
      parked.current = null
      if (pool) {
        setTube(pool)
        message.info(t('sampling.check.backToPool', { single: s, code: pool.code }))
      }
      return
    }
    // A tube barcode: the pending person goes into it, or it becomes the tube for the next people.
    if (cur && cur.code !== s && cur.status === 'open' && cur.members > 0)
      message.info(t('sampling.switchedTube', { from: cur.code, to: s }))
    if (!cur || cur.code !== s)
      setTube({
        code: s,
        members: 0,
        capacity: recheckMode ? 1 : (round?.poolSize ?? 1),
        status: 'open',
        kind: recheckMode ? 'single' : 'pooled',
      })
    if (pending) enqueue(pending, s)
  }

  function submit(raw: string): void {
    const s = raw.trim()
    setValue('')
    if (!s) return
    // Scans are handled in the order they were made: a tube waits for the look-up of the person before it.
    chain.current = chain.current.then(async () => {
      setProblem(null)
      const kind = classifyInput(s)
      if (kind === 'garbled') setProblem(t('sampling.garbled', { value: s }))
      else if (kind === 'person') await scanPerson(s)
      else scanTube(s)
    })
  }

  async function closeTube(): Promise<void> {
    if (!tube || !round) return
    await flush()
    try {
      const closed = await testingApi.closeTube(round.id, tube.code)
      setTube(closed)
      message.success(t('sampling.tubeClosedByHand', { code: closed.code, n: closed.members }))
    } catch (err) {
      setProblem(apiError(err))
    }
    focus()
  }

  if (rounds.isLoading) return <Card loading />
  if (!rounds.data?.items.length)
    return <Empty description={failedText(rounds.error, t) ?? t('sampling.noRounds')} />

  const banner = check ? bannerOf(check, t, formatDateTime) : null
  const checked = check?.kind === 'checked' ? check.result : null
  const prompt = person
    ? banner?.singleTube || recheckMode
      ? t('sampling.check.singleTube')
      : t('sampling.scanTube')
    : tube?.status === 'open'
      ? t('sampling.scanNextPerson')
      : t('sampling.scanPerson')
  const warningTags = (r: ScanResult): React.JSX.Element[] =>
    r.warnings.map((w) => (
      <Tag key={w} color={w === 'tube_closed' ? DONE_GREEN : w === 'recheck' ? 'purple' : 'orange'}>
        {t(`sampling.warnings.${w}`)}
      </Tag>
    ))

  return (
    <div style={{ maxWidth: 480, margin: '0 auto' }} onClick={focus}>
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        <Select
          data-testid="sampling-round"
          aria-label={t('sampling.chooseRound')}
          style={{ width: '100%' }}
          value={round?.id}
          placeholder={t('sampling.chooseRound')}
          options={[
            ...(openRounds.data?.items ?? []).map((r) => ({
              value: r.id,
              label: `${r.name}（${r.poolSize}${t('sampling.perTube')}）`,
            })),
            ...(recheckRounds.data?.items.length
              ? [
                  {
                    label: t('sampling.recheck.group'),
                    options: recheckRounds.data.items.map((r) => ({
                      value: r.id,
                      label: t('sampling.recheck.option', { name: r.name, n: r.openRechecks }),
                    })),
                  },
                ]
              : []),
          ]}
          onChange={(v: string) => {
            setRoundId(v)
            localStorage.setItem(ROUND_KEY, v)
            setTube(null)
            setPerson(null)
            setCheck(null)
          }}
        />
        {round && !recheckMode && <PoolNote round={round} />}
        {recheckMode && (
          <Alert
            type="warning"
            showIcon
            data-testid="recheck-mode"
            title={t('sampling.recheck.mode')}
          />
        )}
        {(sites.data?.items.length ?? 0) > 0 && (
          <Select
            style={{ width: '100%' }}
            allowClear
            value={siteId}
            placeholder={t('sites.noSite')}
            aria-label={t('sites.noSite')}
            options={sites.data!.items.map((s) => ({ value: s.id, label: s.name }))}
            onChange={(v: string | undefined) => {
              setSiteId(v)
              if (v) localStorage.setItem(SITE_KEY, v)
              else localStorage.removeItem(SITE_KEY)
            }}
          />
        )}
        {round && !recheckMode && (
          <WalkInDrawer
            me={me}
            roundId={round.id}
            siteId={siteId}
            onCode={submit}
            onClosed={focus}
          />
        )}
        <Card
          size="small"
          data-testid="tube-card"
          style={{
            textAlign: 'center',
            borderColor: tube?.status === 'closed' ? '#52c41a' : undefined,
          }}
        >
          {tube ? (
            <>
              <Typography.Text type="secondary">
                {t('sampling.tube')} {tube.code}
              </Typography.Text>
              <div
                data-testid="tube-count"
                style={{ fontSize: 48, fontWeight: 600, lineHeight: 1.2 }}
              >
                {tube.members} / {tube.capacity}
              </div>
              {tube.status === 'closed' ? (
                <Tag color={DONE_GREEN} data-testid="tube-closed">
                  {t('sampling.tubeClosed')}
                </Tag>
              ) : (
                <Button size="small" onClick={() => void closeTube()} disabled={tube.members === 0}>
                  {t('sampling.closeTube')}
                </Button>
              )}
            </>
          ) : (
            <Typography.Text type="secondary">{t('sampling.noTube')}</Typography.Text>
          )}
        </Card>
        {banner && (
          <Alert
            data-testid="person-check"
            data-single-tube={banner.singleTube ? 'true' : 'false'}
            type={banner.type}
            showIcon
            title={
              <Space direction="vertical" size={0}>
                {checked && (
                  <Typography.Text strong data-testid="person-check-person">
                    {[
                      checked.person.name,
                      checked.person.household,
                      checked.person.idNumber &&
                        t('sampling.check.idNumber', { id: checked.person.idNumber }),
                    ]
                      .filter(Boolean)
                      .join('　')}
                  </Typography.Text>
                )}
                {banner.lines.map((l) => (
                  <span key={l} style={{ overflowWrap: 'anywhere' }}>
                    {l}
                  </span>
                ))}
              </Space>
            }
          />
        )}
        <Input
          ref={input}
          data-testid="scan-input"
          size="large"
          autoFocus
          autoComplete="off"
          value={value}
          placeholder={prompt}
          onChange={(e) => setValue(e.target.value)}
          onPressEnter={() => submit(value)}
          addonAfter={person ? <Tag color="blue">{t('sampling.personWaiting')}</Tag> : undefined}
        />
        <Space wrap>
          <Badge
            status={offline ? 'error' : 'success'}
            text={offline ? t('sampling.offline') : t('sampling.online')}
          />
          <Typography.Text data-testid="queue-count" type={waiting ? 'warning' : 'secondary'}>
            {t('sampling.waiting', { n: waiting })}
          </Typography.Text>
        </Space>
        {problem && (
          <Alert
            type="error"
            showIcon
            title={problem}
            closable
            onClose={() => setProblem(null)}
            data-testid="scan-problem"
          />
        )}
        <List
          size="small"
          bordered
          dataSource={lines}
          locale={{
            emptyText: (
              <Typography.Text type="secondary">{t('sampling.nothingYet')}</Typography.Text>
            ),
          }}
          renderItem={(l) => (
            <List.Item data-testid="scan-line">
              <Space wrap>
                <Typography.Text strong>{l.result?.person?.name ?? l.label}</Typography.Text>
                {l.result?.person?.household && (
                  <Typography.Text type="secondary">{l.result.person.household}</Typography.Text>
                )}
                {!l.result && <Tag>{t('sampling.queued')}</Tag>}
                {l.result?.status === 'rejected' && (
                  <Tag color="red">{refusal(l.result.error)}</Tag>
                )}
                {l.result && warningTags(l.result)}
              </Space>
            </List.Item>
          )}
        />
      </Space>
    </div>
  )
}
