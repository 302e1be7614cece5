import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { OrgTreeNode } from '@pioneer/shared';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { getOrgTree } from '../../services/org-admin-api';
import { allRows } from './tree-rows';

/** Branch chips shown at most: the filter narrows a county's hundreds. */
const SHOWN = 40;

/** The branch a page works on (邀请码, 入党码): a secretary's own; an admin picks one of their subtree's branches. */
export function useBranchChoice() {
  const me = useMe();
  const isAdmin = !!me.data?.roles.includes('admin') && !!me.data.adminOrg;
  const ownBranch = me.data?.roles.includes('secretary') ? me.data.org : null;
  const tree = useRequest(() => getOrgTree(me.data!.adminOrg!.id), [me.data?.adminOrg?.id], isAdmin);
  const branches = tree.data
    ? allRows(tree.data)
        .filter((r) => r.node.type === 'branch')
        .map((r) => r.node)
    : [];
  const [picked, setPicked] = useState<string | null>(null);
  const orgId = picked ?? ownBranch?.id ?? null;
  const orgName = branches.find((b) => b.id === orgId)?.name ?? ownBranch?.name ?? '';
  return { me, isAdmin, ownBranch, branches, orgId, orgName, pick: setPicked };
}

/** An admin's branches as chips, found by name; `block` is the page's BEM block (its chip styles). */
export function BranchChips({
  block,
  branches,
  orgId,
  onPick,
  filterTestId,
  chipTestId,
}: {
  block: string;
  branches: OrgTreeNode[];
  orgId: string | null;
  onPick: (id: string) => void;
  filterTestId: string;
  chipTestId: string;
}) {
  const [filter, setFilter] = useState('');
  return (
    <>
      <TextField
        label="查找支部"
        bare
        placeholder="输入支部名称查找"
        value={filter}
        onChange={setFilter}
        testId={filterTestId}
      />
      <View className={`${block}__chips`}>
        {branches
          .filter((b) => b.name.includes(filter.trim()))
          .slice(0, SHOWN)
          .map((b) => (
            <View
              key={b.id}
              className={`${block}__chip${b.id === orgId ? ` ${block}__chip--on` : ''}`}
              data-testid={chipTestId}
              data-name={b.name}
              onClick={() => onPick(b.id)}
            >
              <Text>{b.name}</Text>
            </View>
          ))}
      </View>
    </>
  );
}
