import { useState } from 'react'
import { App, Button, Input, Modal, Segmented, Space, Tag, Typography } from 'antd'
import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { registryApi, type Transfer } from './api'
import { useApiError } from '../lib/apiError'
import { formatDate } from '../lib/dates'
import { KeysetTable } from '../lib/KeysetTable'
import { useKeysetList } from '../lib/useKeysetList'

const STATUS_COLOR: Record<Transfer['status'], string> = {
  requested: 'gold',
  confirmed: 'green',
  disputed: 'red',
}

/**
 * 转入/转出申请: people registered here who are recorded in another community (转入, in) and
 * people recorded here whom another community registered (转出, out). Only the side the
 * person is recorded in confirms or disputes; the other side sees what it typed and the decision.
 */
export function TransfersPanel({ canWrite }: { canWrite: boolean }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const qc = useQueryClient()
  const [direction, setDirection] = useState<'all' | 'in' | 'out'>('all')
  const [disputing, setDisputing] = useState<Transfer | null>(null)
  const [reason, setReason] = useState('')
  const list = useKeysetList(['resident-transfers', direction], (after) =>
    registryApi.transfers({
      limit: 50,
      direction: direction === 'all' ? undefined : direction,
      after: after ?? undefined,
    }),
  )
  const fail = (err: unknown): void => void message.error(apiError(err))
  const refresh = (): void => {
    void qc.invalidateQueries({ queryKey: ['resident-transfers'] })
    void qc.invalidateQueries({ queryKey: ['residents'] })
  }

  async function confirm(x: Transfer): Promise<void> {
    try {
      await registryApi.confirmTransfer(x.id)
      void message.success(t('registry.transfers.confirmed'))
      refresh()
    } catch (err) {
      fail(err)
    }
  }
  async function dispute(): Promise<void> {
    if (!disputing || reason.trim().length < 2) return
    try {
      await registryApi.disputeTransfer(disputing.id, reason.trim())
      void message.success(t('registry.transfers.disputed'))
      setDisputing(null)
      setReason('')
      refresh()
    } catch (err) {
      fail(err)
    }
  }

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Segmented
          value={direction}
          onChange={(v) => setDirection(v as typeof direction)}
          options={[
            { value: 'all', label: t('registry.transfers.all') },
            { value: 'in', label: t('registry.transfers.in') },
            { value: 'out', label: t('registry.transfers.out') },
          ]}
        />
      </Space>
      <KeysetTable<Transfer>
        list={list}
        rowKey="id"
        size="small"
        scroll={{ x: 900 }}
        data-testid="transfer-table"
        columns={[
          {
            title: t('registry.transfers.direction'),
            dataIndex: 'direction',
            width: 70,
            render: (v: Transfer['direction']) => <Tag>{t(`registry.transfers.${v}`)}</Tag>,
          },
          {
            title: t('registry.name'),
            width: 110,
            render: (_, x) =>
              x.direction === 'out' && x.residentName && x.residentName !== x.typedName
                ? `${x.typedName}（${t('registry.transfers.recordedAs')} ${x.residentName}）`
                : x.typedName,
          },
          { title: t('registry.phone'), dataIndex: 'typedPhone', width: 110 },
          {
            title: t('registry.transfers.from'),
            width: 170,
            render: (_, x) =>
              x.fromHousehold ? (
                `${x.fromGrid ?? ''} ${x.fromHousehold}`
              ) : (
                <Typography.Text type="secondary">
                  {t('registry.transfers.otherCommunity')}
                </Typography.Text>
              ),
          },
          {
            title: t('registry.transfers.to'),
            width: 170,
            render: (_, x) => `${x.toGrid} ${x.toHousehold}`,
          },
          {
            title: t('registry.transfers.requestedBy'),
            width: 150,
            render: (_, x) => `${x.requestedBy} · ${formatDate(x.requestedAt)}`,
          },
          {
            title: t('registry.transfers.status'),
            width: 160,
            render: (_, x) => (
              <Space direction="vertical" size={0}>
                <Tag color={STATUS_COLOR[x.status]}>
                  {t(`registry.transfers.statuses.${x.status}`)}
                </Tag>
                {x.reason && <Typography.Text type="secondary">{x.reason}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: '',
            width: 150,
            render: (_, x) =>
              canWrite && x.canDecide ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => void confirm(x)}
                    data-testid="transfer-confirm"
                  >
                    {t('registry.transfers.confirm')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() => setDisputing(x)}
                    data-testid="transfer-dispute"
                  >
                    {t('registry.transfers.dispute')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal
        open={!!disputing}
        title={t('registry.transfers.dispute')}
        onCancel={() => setDisputing(null)}
        onOk={() => void dispute()}
        okButtonProps={{ disabled: reason.trim().length < 2 }}
        destroyOnHidden
      >
        <Input.TextArea
          rows={3}
          maxLength={200}
          placeholder={t('registry.transfers.disputeReason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </>
  )
}
