import { App, Form, Input, Modal, Select } from 'antd'
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { useApiError } from '../lib/apiError'
import {
  COLLECTIVE_KINDS,
  LET_OCCUPANCIES,
  registryApi,
  type CollectiveKind,
  type Household,
  type HouseholdOccupancyIn,
} from './api'

interface Values {
  representativeId?: string
  name?: string
  kind?: 'landlord' | 'sub_landlord'
  phone?: string
  tenancyStart?: string
  tenancyEnd?: string
  collectiveKind?: CollectiveKind
  collectiveName?: string
}

/**
 * 户信息: a household's 户代表 (one of its residents); when it is 出租 / 群租, the landlord
 * or 二房东 contact with the tenancy's dates; when it is a 集体户, its kind and name. The recorded phone is shown masked; type it again
 * to change the contact. Mounted afresh for each opening (its form starts from the record).
 */
export function HouseholdFactsModal({
  household,
  onClose,
  onDone,
}: {
  household:
    | (Pick<Household, 'id' | 'occupancy' | 'representativeId' | 'landlord' | 'collective'> & {
        title: string
      })
    | null
  onClose: () => void
  onDone: () => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const [form] = Form.useForm<Values>()
  const let_ = !!household?.occupancy && LET_OCCUPANCIES.includes(household.occupancy)
  const collective = household?.occupancy === 'collective'
  const members = useQuery({
    queryKey: ['residents', 'household-members', household?.id],
    queryFn: () => registryApi.residents({ householdId: household!.id }),
    enabled: !!household,
  })

  async function save(v: Values): Promise<void> {
    if (!household?.occupancy) return
    const body: HouseholdOccupancyIn = {
      occupancy: household.occupancy,
      representativeId: v.representativeId ?? null,
    }
    if (let_ && v.name && v.phone)
      body.landlord = {
        name: v.name,
        kind: v.kind ?? 'landlord',
        phone: v.phone,
        tenancyStart: v.tenancyStart || null,
        tenancyEnd: v.tenancyEnd || null,
      }
    if (collective && v.collectiveKind && v.collectiveName)
      body.collective = { kind: v.collectiveKind, name: v.collectiveName }
    try {
      await registryApi.setHouseholdFacts(household.id, body)
      void message.success(t('registry.householdFacts.saved'))
      onDone()
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  return (
    <Modal
      open={!!household}
      title={`${t('registry.householdFacts.title')} · ${household?.title ?? ''}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ 'data-testid': 'household-facts-save' }}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => void save(v)}
        initialValues={{
          representativeId: household?.representativeId ?? undefined,
          name: household?.landlord?.name,
          kind: household?.landlord?.kind ?? 'landlord',
          tenancyStart: household?.landlord?.tenancyStart ?? undefined,
          tenancyEnd: household?.landlord?.tenancyEnd ?? undefined,
          collectiveKind: household?.collective?.kind ?? 'dormitory',
          collectiveName: household?.collective?.name,
        }}
      >
        <Form.Item name="representativeId" label={t('registry.householdFacts.representative')}>
          <Select
            allowClear
            data-testid="household-representative"
            options={(members.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
          />
        </Form.Item>
        {collective && (
          <>
            <Form.Item
              name="collectiveKind"
              label={t('registry.householdFacts.collectiveKind')}
              rules={[{ required: true }]}
            >
              <Select
                data-testid="collective-kind"
                options={COLLECTIVE_KINDS.map((k) => ({
                  value: k,
                  label: t(`registry.householdFacts.collectiveKinds.${k}`),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="collectiveName"
              label={t('registry.householdFacts.collectiveName')}
              rules={[
                { required: true, message: t('registry.householdFacts.collectiveNameRequired') },
              ]}
            >
              <Input
                maxLength={80}
                placeholder={t('registry.householdFacts.collectiveNameHint')}
                data-testid="collective-name"
              />
            </Form.Item>
          </>
        )}
        {let_ && (
          <>
            <Form.Item name="kind" label={t('registry.householdFacts.landlordKind')}>
              <Select
                options={(['landlord', 'sub_landlord'] as const).map((k) => ({
                  value: k,
                  label: t(`registry.householdFacts.kinds.${k}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="name" label={t('registry.householdFacts.landlordName')}>
              <Input maxLength={50} data-testid="landlord-name" />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('registry.householdFacts.landlordPhone')}
              extra={
                household?.landlord?.phone
                  ? t('registry.householdFacts.phoneRecorded', { phone: household.landlord.phone })
                  : undefined
              }
            >
              <Input inputMode="tel" maxLength={40} data-testid="landlord-phone" />
            </Form.Item>
            <Form.Item name="tenancyStart" label={t('registry.householdFacts.tenancyStart')}>
              <Input type="date" data-testid="tenancy-start" />
            </Form.Item>
            <Form.Item name="tenancyEnd" label={t('registry.householdFacts.tenancyEnd')}>
              <Input type="date" data-testid="tenancy-end" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  )
}
