import { Button, Space } from 'antd'
import { PrinterOutlined } from '@ant-design/icons'
import { useTranslation } from 'react-i18next'
import i18n from '../i18n'
import { localDayText } from './days'
import type { NoticeOut } from './api'

/**
 * Printed on A4 and handed to the person: the app's menu, header and buttons are left out of the
 * print (`.wg-no-print`, the layout's sider and header), the sheet keeps its own margins.
 */
const PRINT_CSS = `
@page { size: A4; margin: 18mm 20mm; }
.wg-notice { background: #fff; color: #000; max-width: 210mm; margin: 0 auto; padding: 16mm 18mm;
  box-shadow: 0 1px 6px rgba(0,0,0,.15); font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif;
  font-size: 15px; line-height: 1.9; box-sizing: border-box; overflow-wrap: anywhere; }
.wg-notice h1 { text-align: center; font-size: 24px; letter-spacing: 4px; margin: 0 0 20px; }
.wg-notice p { margin: 0 0 10px; text-indent: 2em; }
.wg-notice p.wg-flat { text-indent: 0; }
.wg-notice table { width: 100%; border-collapse: collapse; margin: 8px 0 14px; font-size: 14px; }
.wg-notice th, .wg-notice td { border: 1px solid #000; padding: 4px 6px; text-align: left; vertical-align: top; }
.wg-notice .wg-sign { margin-top: 36px; display: flex; justify-content: space-between; gap: 16px; flex-wrap: wrap; }
.wg-notice .wg-issuer { text-align: right; margin-top: 28px; }
@media (max-width: 600px) { .wg-notice { padding: 16px 12px; font-size: 14px; } }
@media print {
  .ant-layout-sider, .ant-layout-header, .ant-layout-sider-zero-width-trigger, .wg-no-print { display: none !important; }
  .ant-layout, .ant-layout-content { background: #fff !important; margin: 0 !important; padding: 0 !important; min-height: 0 !important; }
  .wg-notice { box-shadow: none; max-width: none; padding: 0; font-size: 12pt; }
}
`

const zh = (): ReturnType<typeof i18n.getFixedT> => i18n.getFixedT('zh-CN')

/** Days of a phase, counted as the notice counts them (both ends included). */
function phaseDays(firstDay: string, lastDay: string): number {
  return (
    Math.round(
      (Date.parse(`${lastDay}T00:00:00Z`) - Date.parse(`${firstDay}T00:00:00Z`)) / 86_400_000,
    ) + 1
  )
}

/**
 * 告知书 (when a measure starts) and 解除通知书 (when it is released), as the server words them
 * (always Chinese: the document the person keeps, whatever the worker's UI language). The
 * sentences around the server's values are the locale's zh-CN text.
 */
export function NoticeSheet({ data }: { data: NoticeOut }): React.JSX.Element {
  const { t } = useTranslation()
  const z = zh()
  const day = (d: string | null): string => localDayText(d, 'zh-CN')
  const short = (d: string): string => localDayText(d, 'zh-CN', true)
  return (
    <div>
      <style>{PRINT_CSS}</style>
      <Space className="wg-no-print" style={{ marginBottom: 12 }} wrap>
        <Button
          type="primary"
          icon={<PrinterOutlined />}
          onClick={() => window.print()}
          data-testid="notice-print"
        >
          {t('measures.notice.print')}
        </Button>
        <Button onClick={() => window.history.back()}>{t('measures.notice.back')}</Button>
      </Space>
      <article className="wg-notice" lang="zh-CN" data-testid="notice-sheet">
        <h1>{data.title}</h1>
        <p className="wg-flat">
          {data.person.idNumber
            ? z('measures.notice.toWithId', { name: data.person.name, id: data.person.idNumber })
            : z('measures.notice.to', { name: data.person.name })}
        </p>
        {data.kind === 'start' ? (
          <>
            <p>
              {z('measures.notice.startBody', {
                basis: data.profile.title,
                category: data.categoryLabel,
                anchor: day(data.anchorDate),
              })}
            </p>
            {data.person.address && (
              <p className="wg-flat">
                {z('measures.notice.address', { address: data.person.address })}
              </p>
            )}
            <table>
              <thead>
                <tr>
                  <th scope="col">{z('measures.notice.phase')}</th>
                  <th scope="col">{z('measures.notice.period')}</th>
                </tr>
              </thead>
              <tbody>
                {data.phases.map((p) => (
                  <tr key={`${p.kind}-${p.firstDay}`}>
                    <td>{p.label}</td>
                    <td>
                      {p.lastDay
                        ? z('measures.notice.fromTo', {
                            from: day(p.firstDay),
                            to: day(p.lastDay),
                            n: phaseDays(p.firstDay, p.lastDay),
                          })
                        : z('measures.notice.fromUntil', { from: day(p.firstDay) })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              {data.testDays.length === 0
                ? z('measures.notice.noTests')
                : z('measures.notice.tests', { days: data.testDays.map(short).join('、') })}
            </p>
            <p>
              {data.plannedEnd
                ? z('measures.notice.plannedEnd', { date: day(data.plannedEnd) })
                : z('measures.notice.untilCondition')}
            </p>
            {data.overrides.map((o) => (
              <p key={o}>{z('measures.notice.override', { text: o })}</p>
            ))}
            <p className="wg-flat">{z('measures.notice.duties')}</p>
            {data.duties.map((d, i) => (
              <p key={d}>
                {i + 1}. {d}
              </p>
            ))}
            <p>{z('measures.notice.thanks')}</p>
          </>
        ) : (
          <>
            <p>
              {z('measures.notice.releaseBody', {
                category: data.categoryLabel,
                anchor: day(data.anchorDate),
                date: day(data.releasedAt),
              })}
            </p>
            <p>{z('measures.notice.releaseAfter')}</p>
          </>
        )}
        <div className="wg-issuer">
          <div>{z('measures.notice.issuer', { name: data.issuer })}</div>
          <div>
            {day(data.kind === 'release' ? (data.releasedAt ?? data.issuedAt) : data.issuedAt)}
          </div>
        </div>
        <div className="wg-sign">
          <span>{z('measures.notice.signPerson')}</span>
          <span>{z('measures.notice.signWorker')}</span>
        </div>
      </article>
    </div>
  )
}
