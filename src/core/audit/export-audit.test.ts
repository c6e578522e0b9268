import { describe, expect, it } from 'vitest'
import { auditableSearch } from './export-audit.js'

describe('the filter an export audit entry keeps', () => {
  it('masks a search by full ID number or mobile, also typed full-width, and keeps the rest of the filter', () => {
    expect(auditableSearch({ roundId: 'r1', grid: null, q: '32010219580428683X' })).toEqual({
      roundId: 'r1',
      grid: null,
      q: '320102********683X',
    })
    expect(auditableSearch({ q: '１３９ １２３４ ５６７８' }).q).toBe('139****5678')
    expect(auditableSearch({ q: '张三' }).q).toBe('张三')
    expect(auditableSearch({ grid: '/a/' })).toEqual({ grid: '/a/' })
  })
})
