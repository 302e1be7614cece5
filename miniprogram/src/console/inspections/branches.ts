import type { OrgTreeNode } from '@pioneer/shared';

export interface BranchOption {
  id: string;
  /** 村名 · 支部名, so two 第一党支部 are told apart. */
  label: string;
}

/** The branches of a subtree, each with the org above it, in tree order. */
export function branchOptions(node: OrgTreeNode, parent: string | null = null): BranchOption[] {
  const own = node.type === 'branch' ? [{ id: node.id, label: parent ? `${parent} · ${node.name}` : node.name }] : [];
  return [...own, ...node.children.flatMap((c) => branchOptions(c, node.name))];
}
