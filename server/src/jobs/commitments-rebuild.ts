import mongoose from 'mongoose';
import { cardDocs, packCard, readCard, renderCard, type StoredCard } from '../modules/commitments/cards';
import type { CommitmentDoc } from '../modules/commitments/commitments.store';
import {
  indexKey,
  layoutOf,
  pageCard,
  pageOps,
  wallPages,
  walls,
  WALL_RECENT,
  writePages,
  type PageCard,
  type WallDoc,
} from '../modules/commitments/wall-pages';
import { UserModel, type UserDoc } from '../modules/users/users.model';

const CHUNK = 2_000;

async function inChunks<T>(docs: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < docs.length; i += CHUNK) await insert(docs.slice(i, i + CHUNK));
}

/** The heads a set of cards implies, as touchWall keeps them (above the branch: the WALL_RECENT latest, and counts). */
function headsOf(cards: StoredCard[]): WallDoc[] {
  const heads = new Map<string, WallDoc>();
  const branchCounts = new Map<string, number>();
  for (const c of cards) {
    const branchId = c.orgPath[c.orgPath.length - 1]!;
    const key = indexKey(branchId, c.commitment.year);
    branchCounts.set(key, (branchCounts.get(key) ?? 0) + 1);
    c.orgPath.forEach((orgId, i) => {
      const _id = indexKey(orgId, c.commitment.year);
      const head = heads.get(_id) ?? heads.set(_id, { _id, members: {}, cv: {}, v: 1 }).get(_id)!;
      head.members![c.u] = c.at;
      head.cv![c.u] = c.v;
      if (i < c.orgPath.length - 1) (head.counts ??= {})[branchId] = 0;
    });
  }
  for (const head of heads.values()) {
    if (!head.counts) continue;
    const year = head._id.split('|')[1]!;
    for (const branchId of Object.keys(head.counts)) head.counts[branchId] = branchCounts.get(`${branchId}|${year}`)!;
    const kept = Object.entries(head.members!)
      .sort((a, b) => b[1] - a[1])
      .slice(0, WALL_RECENT);
    head.members = Object.fromEntries(kept);
    head.cv = Object.fromEntries(kept.map(([u]) => [u, head.cv![u]!]));
  }
  return [...heads.values()];
}

/**
 * Replaces every wall read model (cards, heads, pages) with what the approved commitments and their members imply.
 * The rebuild's second half; a bulk loader that holds the documents already (the benchmark) calls it directly.
 * Run with the service stopped (or at start-up), as points:rebuild.
 */
export async function writeWallViews(
  docs: CommitmentDoc[],
  users: Map<string, UserDoc>,
): Promise<{ cards: number; walls: number; pages: number }> {
  const cards = docs
    .filter((d) => d.status === 'approved' && users.has(d.userId))
    .map((d) => renderCard(d, users.get(d.userId)!, 1));
  const byMember = new Map<string, Record<string, string>>();
  for (const c of cards)
    (byMember.get(c.u) ?? byMember.set(c.u, {}).get(c.u)!)[String(c.commitment.year)] = packCard(c);
  const heads = headsOf(cards);
  await Promise.all([cardDocs().deleteMany({}), walls().deleteMany({}), wallPages().deleteMany({})]);
  await inChunks(
    [...byMember].map(([_id, y]) => ({ _id, y })),
    (c) => cardDocs().insertMany(c, { ordered: false }),
  );
  await inChunks(heads, (c) => walls().insertMany(c, { ordered: false }));
  const held = new Map<string, Map<string, PageCard>>();
  for (const c of cards) {
    const year = String(c.commitment.year);
    (held.get(year) ?? held.set(year, new Map()).get(year)!).set(c.u, pageCard(c));
  }
  // Every card is held, so nothing is read; the collection is empty, so the pages are inserted (no \$max needed).
  const pages: { _id: string; s: string }[] = [];
  for (const head of heads) {
    const [orgId, year] = head._id.split('|') as [string, string];
    const indexes = layoutOf(head).pages.map((_, i) => i);
    for (const op of await pageOps(orgId, Number(year), head, indexes, held.get(year) ?? new Map()))
      pages.push({ _id: op.updateOne.filter._id, s: op.updateOne.update.$max.s });
  }
  await inChunks(pages, (c) => wallPages().insertMany(c, { ordered: false }));
  return { cards: cards.length, walls: heads.length, pages: pages.length };
}

/** commitments:rebuild — every approved commitment and its member, read once (a batch job: the scans are fine). */
export async function rebuildCommitmentWalls(): Promise<{ cards: number; walls: number; pages: number }> {
  const docs = await mongoose.connection
    .collection<CommitmentDoc>('commitments')
    .find({ status: 'approved' })
    .toArray();
  const users = await UserModel.find({}).lean<UserDoc[]>();
  return writeWallViews(docs, new Map(users.map((u) => [u._id, u])));
}

/**
 * Start-up repair: a move whose pages were never written (the process stopped between the head and its pages; the
 * head still has its `dirty` mark) has that wall's pages written again from the head and the members' cards. Walls
 * written before the pages existed (no `v`) are rebuilt from the commitments, once.
 */
export async function repairWalls(): Promise<number> {
  const heads = await walls()
    .find({}, { projection: { v: 1, dirty: 1 } })
    .toArray();
  if (heads.some((h) => h.v === undefined)) return (await rebuildCommitmentWalls()).walls;
  let repaired = 0;
  for (const h of heads.filter((d) => Object.keys(d.dirty ?? {}).length > 0)) {
    const unset = Object.fromEntries(Object.keys(h.dirty!).map((t) => [`dirty.${t}`, '' as const]));
    const head = await walls().findOneAndUpdate(
      { _id: h._id },
      { $inc: { v: 1 }, $unset: unset },
      { returnDocument: 'after' },
    );
    if (!head) continue;
    const [orgId, year] = head._id.split('|') as [string, string];
    const layout = layoutOf(head);
    const held = new Map<string, PageCard>();
    for (const { u } of layout.pages.flat()) {
      const card = await readCard(u, Number(year));
      if (card) held.set(u, pageCard(card));
    }
    await writePages(
      orgId,
      Number(year),
      head,
      layout.pages.map((_, i) => i),
      held,
    );
    repaired += 1;
  }
  return repaired;
}
