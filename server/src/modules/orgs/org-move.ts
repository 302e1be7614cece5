import { Schema, model } from 'mongoose';
import { recordAudit } from '../audit/audit.service';
import { settleMovedOrg } from '../dashboard/moved-org-counters';
import { PostModel, RecordModel } from '../posts/posts.model';
import { UserModel } from '../users/users.model';
import { WishModel } from '../wishes/wishes.model';
import { OrgModel } from './orgs.model';
import { ensureSubtrees, rebuildSubtrees } from './subtree';

/** Members who count (on lists, boards and in memberCount): every status but 停止党籍/出党/去世. */
export const ACTIVE_MEMBER = { status: { $nin: ['suspended', 'left', 'deceased'] } } as const;

/**
 * An org move under way, by the moved org's id: written before anything moves and deleted when all of it has, so a
 * stop in the middle (the subtree half re-pathed) is finished at start-up (finishOrgMoves) instead of waiting for
 * someone to send the same move again.
 */
const OrgMoveSchema = new Schema(
  {
    _id: { type: String, required: true },
    parentId: { type: String, required: true },
    /** The org's new ancestors (the parent's path and the parent), county first. */
    prefix: { type: [String], required: true },
    /** Its ancestors before the move: their member counts are recounted too. */
    oldAncestors: { type: [String], default: [] },
    fromParentId: { type: String, default: null },
    actorId: { type: String, required: true },
  },
  { versionKey: false, timestamps: true },
);
export interface OrgMoveDoc {
  _id: string;
  parentId: string;
  prefix: string[];
  oldAncestors: string[];
  fromParentId: string | null;
  actorId: string;
}
export const OrgMoveModel = model('OrgMove', OrgMoveSchema, 'org_moves');

/** Documents re-pathed per round of updates. */
export const MOVE_BATCH = 50;

/** `path` with everything above `id` replaced by `prefix` (the moved org's new ancestors). Idempotent. */
export function repathed(path: readonly string[], id: string, prefix: readonly string[]): string[] {
  const at = path.indexOf(id);
  return at < 0 ? [...path] : [...prefix, ...path.slice(at)];
}

type PathModel = { find: typeof OrgModel.find; updateOne: typeof OrgModel.updateOne };

/** Called after each batch of updates (tests stop a move there to play a crash). */
export type AfterBatch = () => void | Promise<void>;

/** Rewrites one path field of every document placed under `id` (one update by `_id` each). */
async function repathField(
  model: PathModel,
  field: string,
  id: string,
  prefix: string[],
  afterBatch?: AfterBatch,
): Promise<number> {
  const docs = (await model.find({ [field]: id }, { [field]: 1 }).lean()) as unknown as Array<
    Record<string, unknown> & { _id: string }
  >;
  const stale = docs.filter(
    (d) => repathed(d[field] as string[], id, prefix).join('/') !== (d[field] as string[]).join('/'),
  );
  for (let i = 0; i < stale.length; i += MOVE_BATCH) {
    await Promise.all(
      stale
        .slice(i, i + MOVE_BATCH)
        .map((d) => model.updateOne({ _id: d._id }, { $set: { [field]: repathed(d[field] as string[], id, prefix) } })),
    );
    await afterBatch?.();
  }
  return docs.length;
}

/** memberCount of each org, recounted from the members (a scan each: moves are rare and this heals any crash). */
async function recount(orgIds: string[]): Promise<void> {
  for (const id of new Set(orgIds)) {
    const n = await UserModel.countDocuments({ orgPath: id, ...ACTIVE_MEMBER });
    await OrgModel.updateOne({ _id: id }, { $set: { memberCount: n } });
  }
}

const PLACED: Array<[PathModel, string]> = [
  [UserModel as unknown as PathModel, 'orgPath'],
  [OrgModel as unknown as PathModel, 'path'],
  [PostModel as unknown as PathModel, 'orgPath'],
  [RecordModel as unknown as PathModel, 'orgPath'],
  [RecordModel as unknown as PathModel, 'memberOrgPath'],
  [WishModel as unknown as PathModel, 'orgPath'],
];

/**
 * Carries out a recorded move: everything below is re-pathed first (idempotent), the org itself last, the member
 * counts of old and new ancestors recounted, the move audited (by who asked for it), then the record goes (a stop
 * between the audit and that delete audits the move twice: harmless). Returns the members moved.
 */
export async function applyOrgMove(move: OrgMoveDoc, afterBatch?: AfterBatch): Promise<number> {
  const counts: number[] = [];
  for (const [m, field] of PLACED) counts.push(await repathField(m, field, move._id, move.prefix, afterBatch));
  await OrgModel.updateOne({ _id: move._id }, { $set: { parentId: move.parentId, path: move.prefix } });
  // Its own 数据看板 counts kept on its old parent's documents go with it (dashboard/leaf-counters.ts).
  if (move.fromParentId && move.fromParentId !== move.parentId)
    await settleMovedOrg(move._id, move.fromParentId, move.parentId);
  await recount([...move.oldAncestors, ...move.prefix]);
  // Children, branches, paths and counts of every org around the move: the county's subtree documents anew.
  await rebuildSubtrees(move.prefix[0] ?? move._id);
  if (move.fromParentId !== move.parentId) {
    await recordAudit({
      actorId: move.actorId,
      action: 'org.move',
      targetType: 'org',
      targetId: move._id,
      details: { from: move.fromParentId, parentId: move.parentId, members: counts[0]! },
    });
  }
  await OrgMoveModel.deleteOne({ _id: move._id });
  return counts[0]!;
}

/**
 * Start-up repair: finishes every move a stop left half-done (the collection holds only unfinished moves), and
 * builds the subtree documents of a database that has none yet.
 */
export async function finishOrgMoves(): Promise<number> {
  const open = await OrgMoveModel.find({}).lean<OrgMoveDoc[]>();
  for (const move of open) await applyOrgMove(move);
  await ensureSubtrees();
  return open.length;
}
