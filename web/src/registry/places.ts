import i18n from '../i18n'
import type { Unit } from './api'

/** A unit as people say it: a block's "1单元", a villager group's or a street's house "18号". */
export function unitName(u: Pick<Unit, 'kind' | 'code'>): string {
  return u.kind === 'block'
    ? i18n.t('webui.unit', { code: u.code })
    : i18n.t('webui.house', { code: u.code.replace(/号$/, '') })
}

/** A household's room; a house without rooms (a rural house, one household) is "整户". */
export function roomName(room: string): string {
  return room || i18n.t('webui.wholeHouse')
}
