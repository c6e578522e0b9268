import { useEffect, useState } from 'react'
import { Cascader } from 'antd'
import { useTranslation } from 'react-i18next'
import { fetchAllDivisions } from '../core/api'
import { unitName } from '../registry/places'
import { registryApi } from '../registry/api'

interface Option {
  value: string
  label: string
  isLeaf: boolean
  level: 'grid' | 'building' | 'unit' | 'household'
  children?: Option[]
}

/** Where an arrival will live in this community: grid → building → unit → household, loaded as opened. */
export function HouseholdPicker({
  communityId,
  onChange,
}: {
  communityId: string
  onChange: (householdId: string | undefined) => void
}): React.JSX.Element {
  const { t } = useTranslation()
  const [options, setOptions] = useState<Option[]>([])
  useEffect(() => {
    let live = true
    void fetchAllDivisions({ parentId: communityId })
      .then((grids) => {
        if (live)
          setOptions(
            grids.map((g) => ({ value: g.id, label: g.name, isLeaf: false, level: 'grid' })),
          )
      })
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [communityId])
  async function load(path: Option[]): Promise<void> {
    const last = path[path.length - 1]!
    const children: Option[] =
      last.level === 'grid'
        ? (await registryApi.buildings(last.value)).items.map((b) => ({
            value: b.id,
            label: b.name,
            isLeaf: false,
            level: 'building',
          }))
        : last.level === 'building'
          ? (await registryApi.units(last.value)).items.map((u) => ({
              value: u.id,
              label: unitName(u),
              isLeaf: false,
              level: 'unit',
            }))
          : (await registryApi.households(last.value)).items.map((h) => ({
              value: h.id,
              label: h.label,
              isLeaf: true,
              level: 'household',
            }))
    last.children = children
    setOptions((o) => [...o])
  }
  return (
    <Cascader<Option>
      options={options}
      loadData={(p) => void load(p as Option[])}
      onChange={(v) => onChange(Array.isArray(v) && v.length === 4 ? String(v[3]) : undefined)}
      placeholder={t('checkpoints.desk.household')}
      aria-label={t('checkpoints.desk.household')}
      style={{ width: '100%' }}
      data-testid="desk-household"
    />
  )
}
