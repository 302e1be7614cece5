import { Text, View } from '@tarojs/components';
import type { OrgTreeNode } from '@pioneer/shared';
import { ORG_TYPE_LABELS } from '@pioneer/shared/src/orgs';
import { formatDistance } from '../../utils/location';

export interface FlatRow {
  node: OrgTreeNode;
  depth: number;
}

/** Open by default: the root and its children (县 and its 乡镇), so the villages show at once. A tap flips it. */
export const isOpen = (toggled: ReadonlySet<string>, id: string, depth: number): boolean =>
  depth <= 1 !== toggled.has(id);

/** The rows shown: every node whose ancestors are all open, depth first. */
export function visibleRows(root: OrgTreeNode, toggled: ReadonlySet<string>): FlatRow[] {
  const rows: FlatRow[] = [];
  const walk = (n: OrgTreeNode, depth: number) => {
    rows.push({ node: n, depth });
    if (isOpen(toggled, n.id, depth)) for (const c of n.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return rows;
}

/** Every node with its depth, for pickers (where an org may move to). */
export function allRows(root: OrgTreeNode): FlatRow[] {
  const rows: FlatRow[] = [];
  const walk = (n: OrgTreeNode, depth: number) => {
    rows.push({ node: n, depth });
    for (const c of n.children) walk(c, depth + 1);
  };
  walk(root, 0);
  return rows;
}

/** Ids of a node and everything under it. */
export function subtreeIds(n: OrgTreeNode): Set<string> {
  const ids = new Set<string>();
  const walk = (x: OrgTreeNode) => {
    ids.add(x.id);
    x.children.forEach(walk);
  };
  walk(n);
  return ids;
}

const fenceText = (n: OrgTreeNode) => {
  if (n.type !== 'village' && n.type !== 'community') return null;
  return n.fence ? `打卡范围 ${formatDistance(n.fence.radiusM)}` : '未设打卡范围';
};

export interface TreeRowProps {
  row: FlatRow;
  open: boolean;
  selected: boolean;
  onToggle: () => void;
  onSelect: () => void;
}

/** One org: ▸/▾ to expand (a large target of its own), the name with its type and members; a tap selects it. */
export function TreeRow({ row, open, selected, onToggle, onSelect }: TreeRowProps) {
  const { node, depth } = row;
  const fence = fenceText(node);
  return (
    <View
      className={`otree__row${selected ? ' otree__row--on' : ''}`}
      style={{ paddingLeft: `${24 + depth * 36}px` }}
      data-testid="org-row"
      data-name={node.name}
    >
      <View className="otree__toggle" onClick={onToggle} data-testid="org-toggle" aria-label={open ? '收起' : '展开'}>
        <Text>{node.children.length === 0 ? '·' : open ? '▾' : '▸'}</Text>
      </View>
      <View className="otree__body" onClick={onSelect}>
        <Text className="otree__name">{node.name}</Text>
        {/* Each fact stays whole on a phone: a line breaks between them, never inside 打卡范围. */}
        <View className="otree__facts">
          <Text className="otree__meta">{ORG_TYPE_LABELS[node.type]}</Text>
          <Text className="otree__meta">{node.memberCount} 名党员</Text>
          {fence ? <Text className="otree__meta">{fence}</Text> : null}
        </View>
      </View>
    </View>
  );
}
