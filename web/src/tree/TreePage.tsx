import { useState } from 'react'
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Tree,
  Typography,
} from 'antd'
import { useTranslation } from 'react-i18next'
import { api, type Division, type Me } from '../api'
import { useApiError } from '../lib/apiError'
import { can } from '../auth/session'
import { useDivisionTree, type TreeNode } from './useDivisionTree'

const NEXT: Record<string, string | undefined> = {
  district: 'street',
  street: 'community',
  community: 'grid',
}
const CODE_HINT: Record<string, string> = {
  district: '320102',
  street: '320102001',
  community: '320102001001',
  grid: '320102001001-G01',
}

function find(nodes: TreeNode[], key: string): TreeNode | undefined {
  for (const n of nodes) {
    if (n.key === key) return n
    const hit = n.children && find(n.children, key)
    if (hit) return hit
  }
  return undefined
}

export function TreePage({ me }: { me: Me }): React.JSX.Element {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const apiError = useApiError()
  const { nodes, loadChildren, reload } = useDivisionTree(me.selectedScope?.id)
  const [selected, setSelected] = useState<string | null>(null)
  const [adding, setAdding] = useState<{ level: string; parent: TreeNode | null } | null>(null)
  const [form] = Form.useForm<{ code: string; name: string }>()
  const node = selected ? find(nodes, selected) : undefined
  const manage = can(me, 'tree:manage')

  async function add(): Promise<void> {
    const v = await form.validateFields()
    try {
      await api.post<Division>('/api/divisions', {
        ...v,
        level: adding!.level,
        parentId: adding!.parent?.key ?? null,
      })
      void message.success(t('form.saved'))
      const parent = adding!.parent
      setAdding(null)
      if (parent) await loadChildren(parent.key)
      else reload()
    } catch (err) {
      void message.error(apiError(err))
    }
  }

  function startAdd(level: string, parent: TreeNode | null): void {
    form.resetFields()
    if (parent && level !== 'grid') form.setFieldsValue({ code: parent.code })
    if (parent && level === 'grid') form.setFieldsValue({ code: `${parent.code}-G` })
    setAdding({ level, parent })
  }

  return (
    <Row gutter={16}>
      <Col xs={24} md={10}>
        <Card
          title={t('menu.tree')}
          extra={
            manage &&
            me.wholeDeployment &&
            !me.selectedScope && (
              <Button onClick={() => startAdd('district', null)}>{t('tree.addDistrict')}</Button>
            )
          }
        >
          {nodes.length === 0 ? (
            <Empty description={t('tree.empty')} />
          ) : (
            <Tree
              data-testid="division-tree"
              treeData={nodes}
              loadData={(n) => loadChildren(String(n.key))}
              onSelect={(keys) => setSelected((keys[0] as string) ?? null)}
              titleRender={(n) => (
                <span>
                  <span>{n.title}</span>{' '}
                  <Typography.Text type="secondary">{t(`levels.${n.level}`)}</Typography.Text>
                </span>
              )}
            />
          )}
        </Card>
      </Col>
      <Col xs={24} md={14}>
        <Card title={node ? node.title : t('tree.pick')}>
          {node && (
            <>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('tree.code')}>{node.code}</Descriptions.Item>
                <Descriptions.Item label={t('tree.level')}>
                  {t(`levels.${node.level}`)}
                </Descriptions.Item>
              </Descriptions>
              {manage && NEXT[node.level] && (
                <Button
                  type="primary"
                  style={{ marginTop: 12 }}
                  onClick={() => startAdd(NEXT[node.level]!, node)}
                  data-testid="tree-add-child"
                >
                  {t('tree.addChild', { level: t(`levels.${NEXT[node.level]}`) })}
                </Button>
              )}
            </>
          )}
        </Card>
      </Col>
      <Modal
        open={!!adding}
        title={adding ? t('tree.addChild', { level: t(`levels.${adding.level}`) }) : ''}
        onCancel={() => setAdding(null)}
        onOk={() => void add()}
        okText={t('form.save')}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item
            name="code"
            label={t('tree.code')}
            extra={adding ? t('tree.codeHint', { example: CODE_HINT[adding.level] }) : ''}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input data-testid="division-code" />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('tree.name')}
            rules={[{ required: true, message: t('form.required') }]}
          >
            <Input data-testid="division-name" />
          </Form.Item>
        </Form>
      </Modal>
    </Row>
  )
}
