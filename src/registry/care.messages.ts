import { defineMessages } from '../core/i18n/messages.js'

/** Texts of a resident's helper (包保人), designated hospital and needs (care.service). */
export const careMessages = defineMessages({
  CARE_HELPER_NAME_REQUIRED: {
    'zh-CN': '填写了包保人电话，请同时填写包保人姓名',
    en: "A helper's phone needs the helper's name",
  },
  CARE_HELPER_PHONE_REQUIRED: {
    'zh-CN': '请填写包保人的联系电话',
    en: 'A helper needs a phone number',
  },
  CARE_PROXY_NAME_REQUIRED: {
    'zh-CN': '填写了代联系人电话，请同时填写代联系人姓名',
    en: "A proxy contact's phone needs their name",
  },
  CARE_PROXY_PHONE_REQUIRED: {
    'zh-CN': '请填写代联系人的联系电话',
    en: 'A proxy contact needs a phone number',
  },
  FIELD_proxyName: { 'zh-CN': '代联系人', en: 'Proxy contact' },
  FIELD_proxyRelation: { 'zh-CN': '与本人关系', en: 'Relation' },
  FIELD_proxyPhone: { 'zh-CN': '代联系人电话', en: "Proxy contact's phone" },
  CARE_UI_PROXY: { 'zh-CN': '代联系人', en: 'Proxy contact' },
  CARE_UI_PROXY_NONE: { 'zh-CN': '未登记代联系人', en: 'No proxy contact' },
  CARE_UI_PROXY_HINT: {
    'zh-CN': '本人没有手机时（如独居老人），可登记子女、邻居等代为联系',
    en: 'For someone without a phone (an elderly person living alone, say): a child or neighbour to call instead',
  },
  CARE_UI_PROXY_RELATION_HINT: { 'zh-CN': '如：儿子、邻居', en: 'e.g. son, neighbour' },
  FIELD_helperName: { 'zh-CN': '包保人', en: 'Helper' },
  FIELD_helperPhone: { 'zh-CN': '包保人电话', en: "Helper's phone" },
  FIELD_hospital: { 'zh-CN': '定点医院', en: 'Designated hospital' },
  FIELD_needs: { 'zh-CN': '需求说明', en: 'Needs' },
  'AUDIT_resident.care_set': {
    'zh-CN': '登记包保人、定点医院与代联系人',
    en: "Resident's helper, hospital and proxy contact recorded",
  },
  CARE_UI_TITLE: { 'zh-CN': '包保与就医', en: 'Helper and hospital' },
  CARE_UI_NONE: { 'zh-CN': '未指定包保人', en: 'No helper named' },
  CARE_UI_REVEAL: { 'zh-CN': '显示完整电话', en: 'Show full number' },
  CARE_UI_EDIT: { 'zh-CN': '编辑', en: 'Edit' },
  CARE_UI_SAVE: { 'zh-CN': '保存', en: 'Save' },
  CARE_UI_CANCEL: { 'zh-CN': '取消', en: 'Cancel' },
  CARE_UI_SAVED: { 'zh-CN': '已保存包保信息', en: 'Saved' },
  CARE_UI_NEEDS_HINT: { 'zh-CN': '如：每周一三五透析', en: 'e.g. dialysis Mon, Wed, Fri' },
  CARE_UI_UPDATED: { 'zh-CN': '{{by}} 于 {{at}} 更新', en: 'Updated by {{by}} at {{at}}' },
})
