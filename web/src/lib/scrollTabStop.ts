import { useEffect, useRef, type RefObject } from 'react'

/**
 * A table that scrolls sideways on a phone is reachable from the keyboard too (WCAG 2.1.1):
 * antd's scroll container is a plain div, so each one under the returned ref gets a tab stop.
 */
export function useScrollTabStop(): RefObject<HTMLDivElement | null> {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    box.current
      ?.querySelectorAll<HTMLElement>('.ant-table-content, .ant-table-body')
      .forEach((el) => {
        if (el.scrollWidth > el.clientWidth || el.style.overflow.includes('auto')) el.tabIndex = 0
      })
  })
  return box
}
