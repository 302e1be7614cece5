import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Fence, OrgTreeNode, OrgType } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { createOrg, dissolveOrg, getOrgTree, moveOrg, renameOrg, setOrgFence } from '../../services/org-admin-api';
import OrgActions from './org-actions';
import { allRows, isOpen, TreeRow, visibleRows } from './tree-rows';
import '../checkin-fences/index.scss';
import './index.scss';

const errorText = (e: unknown) => (e instanceof ApiError ? e.message : '保存失败，请重试');

function findNode(root: OrgTreeNode | undefined, id: string | null): OrgTreeNode | null {
  if (!root || !id) return null;
  return allRows(root).find((r) => r.node.id === id)?.node ?? null;
}

/**
 * 组织架构 for admins: the subtree they run (县 -> 乡镇 -> 村/社区 -> 支部, plus 机关/企业/学校), expand and collapse, and
 * for the selected org: new child, rename, the village's 打卡范围, 调整隶属 inside the subtree, 撤销 when empty.
 */
export default function OrgTreePage() {
  const me = useMe();
  const root = me.data?.roles.includes('admin') ? me.data.adminOrg : null;
  const tree = useRequest(() => getOrgTree(root!.id), [root?.id], !!root);
  const [toggled, setToggled] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const toggle = (id: string) =>
    setToggled((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  async function run(what: () => Promise<unknown>, ok: string): Promise<boolean> {
    setBusy(true);
    try {
      await what();
      await tree.reload();
      void Taro.showToast({ title: ok, icon: 'success' });
      return true;
    } catch (e) {
      void Taro.showModal({ title: '未能完成', content: errorText(e), showCancel: false });
      return false;
    } finally {
      setBusy(false);
    }
  }

  const node = findNode(tree.data, selected);
  const parentName = findNode(tree.data, node?.parentId ?? null)?.name ?? '';
  // After a create or a move, the parent is shown open (whatever its depth) so the result is in view.
  const expandTo = (id: string) => {
    const row = tree.data ? allRows(tree.data).find((r) => r.node.id === id) : undefined;
    if (row && !isOpen(toggled, id, row.depth)) toggle(id);
  };
  return (
    <PageContainer
      console="org-tree"
      loggedIn={me.loggedIn}
      loading={me.loading || (!!root && tree.loading)}
      hasData={!!tree.data}
      error={me.error ?? tree.error}
      onRetry={tree.reload}
      empty={!!me.data && !root}
      emptyText="只有管理员可以维护组织架构"
    >
      {tree.data && (
        <View className="otree">
          <Text className="otree__intro">点组织名称选中，再选择下方的操作；点 ▸ 展开下级。</Text>
          <View className="otree__list" data-testid="org-tree">
            {visibleRows(tree.data, toggled).map((r) => (
              <TreeRow
                key={r.node.id}
                row={r}
                open={isOpen(toggled, r.node.id, r.depth)}
                selected={r.node.id === selected}
                onToggle={() => toggle(r.node.id)}
                onSelect={() => setSelected(r.node.id)}
              />
            ))}
          </View>
          {node && (
            <OrgActions
              key={node.id}
              node={node}
              root={tree.data}
              parentName={parentName}
              busy={busy}
              onCreate={(name: string, type: OrgType) =>
                run(async () => {
                  await createOrg({ name, type: type as Exclude<OrgType, 'county'>, parentId: node.id });
                  expandTo(node.id);
                }, '已新建')
              }
              onRename={(name: string) => run(() => renameOrg(node.id, name), '已改名')}
              onFence={(fence: Fence) => run(() => setOrgFence(node.id, fence), '已保存')}
              onMove={(parentId: string) =>
                run(async () => {
                  await moveOrg(node.id, parentId);
                  expandTo(parentId);
                }, '已调整')
              }
              onDissolve={() =>
                void run(async () => {
                  await dissolveOrg(node.id);
                  setSelected(null);
                }, '已撤销')
              }
            />
          )}
        </View>
      )}
    </PageContainer>
  );
}
