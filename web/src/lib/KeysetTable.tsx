import { Button, Table, type TableProps } from 'antd'
import { useTranslation } from 'react-i18next'
import { failedLocale } from './refusal'
import type { KeysetList } from './useKeysetList'
import { useScrollTabStop } from './scrollTabStop'

/**
 * A table over a keyset list: the rows loaded so far, 加载更多 while there are more, and the
 * refusal or failure instead of "no data" when the request failed.
 */
export function KeysetTable<T extends object>({
  list,
  emptyText,
  ...props
}: { list: KeysetList<T>; emptyText?: string } & Omit<
  TableProps<T>,
  'dataSource' | 'loading' | 'pagination'
>): React.JSX.Element {
  const { t } = useTranslation()
  const box = useScrollTabStop()
  return (
    <div ref={box}>
      <Table<T>
        {...props}
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        locale={failedLocale(list.error, t) ?? (emptyText ? { emptyText } : undefined)}
      />
      {list.hasMore && (
        <Button
          block
          style={{ marginTop: 12 }}
          onClick={list.loadMore}
          loading={list.loadingMore}
          data-testid="load-more"
        >
          {t('form.more')}
        </Button>
      )}
    </div>
  )
}
