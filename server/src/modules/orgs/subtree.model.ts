import { Schema, model } from 'mongoose';

/**
 * One org's subtree as the 数据看板 and the 支部评分 read it, by the org's key (issue 18): what used to be a scan of
 * the orgs collection (`$or` over `_id`, `parentId` and `path`) on every view.
 * - `self`: the org's name, type, parent, path and members (`m`, its memberCount);
 * - `kids.<childId>`: each child's name, type and members (the drill-down rows);
 * - `branches.<branchId>`: each branch below and its path (三会一课 denominators, idle branches, 巡查 coverage);
 * - `villages.<villageId>`: 1 for each village below (巡查 coverage of villages);
 * - `cadres.<userId>`: `{ s, u }`, the posting dates of each cadre whose branch is in the subtree (`u` null while
 *   posted): who owes 应出勤 in a period, whether they checked in or not;
 * - `req`: the county's required days a month (its 考勤设置), copied here when it changes.
 * Kept as orgs, members and postings change (subtree.ts); `rebuildSubtrees` recomputes a county's from the orgs and
 * members (after an org move, by `npm run dashboard:rebuild`, after the demo seed).
 */
const SubtreeSchema = new Schema(
  {
    _id: { type: String, required: true },
    self: { type: Schema.Types.Mixed, default: {} },
    kids: { type: Schema.Types.Mixed, default: {} },
    branches: { type: Schema.Types.Mixed, default: {} },
    villages: { type: Schema.Types.Mixed, default: {} },
    cadres: { type: Schema.Types.Mixed, default: {} },
    req: { type: Number },
  },
  { versionKey: false, minimize: false },
);

export interface SubtreeSelf {
  name: string;
  type: string;
  parentId: string | null;
  path: string[];
  m: number;
}
export interface CadrePosting {
  /** Posted since (day key), or null when unknown (owes from the start). */
  s: string | null;
  /** Posting ended (day key); null while posted. */
  u: string | null;
  /** The cadre's branch (which child row of the board they count in). */
  b?: string;
}
export interface SubtreeDoc {
  _id: string;
  self: SubtreeSelf;
  kids: Record<string, { name: string; type: string; m: number }>;
  branches: Record<string, string[]>;
  villages: Record<string, 1>;
  cadres: Record<string, CadrePosting>;
  req?: number;
}

export const SubtreeModel = model('OrgSubtree', SubtreeSchema, 'org_subtrees');
