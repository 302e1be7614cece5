import type { OrgTreeNode } from '@pioneer/shared';
import { branchOptions } from './branches';

const node = (id: string, name: string, type: OrgTreeNode['type'], children: OrgTreeNode[] = []): OrgTreeNode => ({
  id,
  name,
  type,
  parentId: null,
  memberCount: 0,
  fence: null,
  children,
});

test('the branches of a subtree, each named with the org above it, in tree order', () => {
  const tree = node('t', '青山镇', 'township', [
    node('v1', '青山村', 'village', [node('b1', '第一党支部', 'branch'), node('b2', '第二党支部', 'branch')]),
    node('v2', '竹林村', 'village', [node('b3', '第一党支部', 'branch')]),
    node('b4', '镇机关党支部', 'branch'),
  ]);
  expect(branchOptions(tree)).toEqual([
    { id: 'b1', label: '青山村 · 第一党支部' },
    { id: 'b2', label: '青山村 · 第二党支部' },
    { id: 'b3', label: '竹林村 · 第一党支部' },
    { id: 'b4', label: '青山镇 · 镇机关党支部' },
  ]);
  expect(branchOptions(node('b', '单独支部', 'branch'))).toEqual([{ id: 'b', label: '单独支部' }]);
});
