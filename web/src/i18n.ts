import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import zhCN from './locales/zh-CN.json'
import en from './locales/en.json'

export const LANGUAGES = [
  { code: 'zh-CN', label: '简体中文' },
  { code: 'en', label: 'English' },
] as const

const saved = typeof localStorage === 'undefined' ? null : localStorage.getItem('wg.lang')

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: saved === 'en' ? 'en' : 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
})

export function setLanguage(code: string): void {
  localStorage.setItem('wg.lang', code)
  void i18n.changeLanguage(code)
  document.documentElement.lang = code
}

export default i18n
