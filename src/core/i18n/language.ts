import type { FastifyRequest } from 'fastify'
import { toLang, type Lang } from './messages.js'

/** The languages a header accepts, best first (q-weighted, stable among equals). */
function acceptedLanguages(header: string): string[] {
  return header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...opts] = part.trim().split(';')
      const q = opts.map((o) => o.trim()).find((o) => o.startsWith('q='))
      const weight = q ? Number(q.slice(2)) : 1
      return { tag: tag.trim(), weight: Number.isFinite(weight) ? weight : 0, i }
    })
    .filter((x) => x.tag && x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i)
    .map((x) => x.tag)
}

/** The language of an Accept-Language header: its first zh or en tag; Chinese by default. */
export function languageOf(acceptLanguage: string | undefined, lang?: string | undefined): Lang {
  const fromQuery = toLang(lang)
  if (fromQuery) return fromQuery
  for (const tag of acceptedLanguages(acceptLanguage ?? '')) {
    const l = toLang(tag)
    if (l) return l
  }
  return 'zh-CN'
}

/**
 * The requester's language for anything the server writes in words (exports, reports, error
 * messages): the `lang` query parameter, else the Accept-Language header, else zh-CN.
 */
export function requestLanguage(req: Pick<FastifyRequest, 'headers' | 'query'>): Lang {
  const q = req.query as Record<string, unknown> | undefined
  const lang = typeof q?.lang === 'string' ? q.lang : undefined
  const header = req.headers['accept-language']
  return languageOf(Array.isArray(header) ? header.join(',') : header, lang)
}
