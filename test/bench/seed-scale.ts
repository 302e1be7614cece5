import { CHECKIN_RULES, periodIds } from '@pioneer/shared';
import { newId } from '../../server/src/db/ids';
import { writeDerivedViews } from '../../server/src/jobs/points-rebuild';
import { OrgModel, type OrgDoc } from '../../server/src/modules/orgs/orgs.model';
import { subtreesOf, writeSubtrees } from '../../server/src/modules/orgs/subtree';
import { LedgerModel } from '../../server/src/modules/points/points.model';
import { PostModel } from '../../server/src/modules/posts/posts.model';
import { loadQuestions } from '../../server/src/modules/quiz/questions.service';
import { SEED_BANK } from '../../server/src/modules/quiz/seed-bank';
import type { UserDoc } from '../../server/src/modules/users/users.model';
import { currentYear } from '../../server/src/modules/commitments/commitments.service';
import { commitmentId, type CommitmentDoc } from '../../server/src/modules/commitments/commitments.store';
import { writeWallViews } from '../../server/src/jobs/commitments-rebuild';
import mongoose from 'mongoose';

export interface ScaleCounty {
  countyId: string;
  branchIds: string[];
  memberIds: string[];
  /**
   * Cadres posted to the villages, each with their village's fence: more than a county has (BENCH_CADRES), so each
   * check-in under load can be a cadre's first of the day, the one that pays (a cadre is paid once a day).
   */
  cadres: { id: string; fence: { lat: number; lng: number; radiusM: number } }[];
  postId: string;
  adminId: string;
  seconds: Record<string, number>;
}

const REASONS = ['daily_quiz', 'weekly_quiz', 'activity_attended', 'post_service', 'wish_fulfilled'] as const;
const CHUNK = 5_000;
/** Cadres in the seeded county (fewer when it has fewer members). */
export const BENCH_CADRES = 6_000;

async function inChunks<T extends object>(docs: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < docs.length; i += CHUNK) await insert(docs.slice(i, i + CHUNK));
}

/**
 * The members go in through a client of their own. The app's client follows every write to users with a change mark
 * naming each id it wrote (db/change-marks.ts): for this seed one marks document of 100k fields, rewritten field by
 * field on each insert (FerretDB: ~4 s of engine CPU for the 8th batch of 5,000, growing with every batch). Nothing
 * holds a member before the bench server starts, so there is no one to tell.
 */
async function withLoader<T>(work: (db: mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const { hosts, credentials, tls } = mongoose.connection.getClient().options;
  const client = new mongoose.mongo.MongoClient(`mongodb://${hosts.join(',')}/`, {
    tls,
    ...(credentials && {
      auth: { username: credentials.username, password: credentials.password },
      authSource: credentials.source,
    }),
  });
  try {
    return await work(client.db(mongoose.connection.db!.databaseName));
  } finally {
    await client.close();
  }
}

async function timed<T>(seconds: Record<string, number>, name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await fn();
  seconds[name] = (Date.now() - started) / 1000;
  return result;
}

/**
 * A county at scale, written with bulk inserts: 1 county, 10 townships, 200 villages with fences and a branch
 * each, `members` members, `entriesPerMember` entries each over the last four weeks, and the derived views those
 * entries imply (what `npm run points:rebuild` writes, without the feeds); the ledger keeps each member's newest.
 */
export async function seedScaleCounty(members: number, entriesPerMember = 10, now = new Date()): Promise<ScaleCounty> {
  const seconds: Record<string, number> = {};
  const countyId = newId();
  const orgs: object[] = [
    { _id: countyId, name: '基准县', type: 'county', parentId: null, path: [], memberCount: members },
  ];
  const branchPaths: string[][] = [];
  const fence = { lat: 30.5447, lng: 119.9752, radiusM: 600 };
  for (let t = 0; t < 10; t++) {
    const townId = newId();
    orgs.push({ _id: townId, name: `第${t + 1}镇`, type: 'township', parentId: countyId, path: [countyId] });
    for (let v = 0; v < 20; v++) {
      const villageId = newId();
      const branchId = newId();
      orgs.push({
        _id: villageId,
        name: `${t + 1}镇${v + 1}村`,
        type: 'village',
        parentId: townId,
        path: [countyId, townId],
        fence: { ...fence, lat: fence.lat + t * 0.01, lng: fence.lng + v * 0.01 },
      });
      orgs.push({
        _id: branchId,
        name: `${t + 1}镇${v + 1}村党支部`,
        type: 'branch',
        parentId: villageId,
        path: [countyId, townId, villageId],
      });
      branchPaths.push([countyId, townId, villageId, branchId]);
    }
  }
  await timed(seconds, 'orgs', () => OrgModel.insertMany(orgs));

  const users = Array.from({ length: members }, (_, i) => {
    const orgPath = branchPaths[i % branchPaths.length]!;
    // privacyConsent null: no answer, as the app writes a new member (and the start-up copy an older one).
    return {
      _id: newId(),
      name: `党员${i}`,
      roles: ['member'],
      orgId: orgPath[3],
      orgPath,
      identity: {},
      privacyConsent: null,
    };
  });
  // The first BENCH_CADRES members are cadres, each posted to their branch's village (users are dealt out
  // round-robin, so every village gets its share): a real county posts a few hundred, but the check-in line under
  // load must be paying check-ins, and a cadre is paid once a day (200 cadres made it measure repeats that pay nothing).
  const cadreUsers = users.slice(0, Math.min(BENCH_CADRES, members - 1));
  for (const cadre of cadreUsers)
    Object.assign(cadre, { roles: ['member', 'cadre'], postedVillageId: cadre.orgPath[2] });
  const admin = users[users.length - 1]!;
  Object.assign(admin, { roles: ['member', 'admin'], adminOrgId: countyId });
  await timed(seconds, 'members', () =>
    withLoader((db) => inChunks(users, (c) => db.collection('users').insertMany(c as never[], { ordered: false }))),
  );

  const dayMs = 24 * 3600 * 1000;
  let seq = 0;
  // The entries fall on 28 days x 8 hours: each moment's periods worked out once (a calendar lookup is slow).
  const periodsAt = new Map<number, string[]>();
  const periodsOf = (at: Date) =>
    periodsAt.get(at.getTime()) ?? periodsAt.set(at.getTime(), periodIds(at)).get(at.getTime())!;
  const ledger = users.flatMap((u, i) =>
    Array.from({ length: entriesPerMember }, (_, k) => {
      const at = new Date(now.getTime() - ((i * 7 + k * 13) % 28) * dayMs - (k % 8) * 3600 * 1000);
      const id = `bench|${++seq}`;
      return {
        _id: id,
        userId: u._id,
        delta: 1 + ((i + k) % 5),
        asked: 1 + ((i + k) % 5),
        reason: REASONS[k % REASONS.length],
        refType: 'bench',
        refId: id,
        note: null,
        at,
        periods: periodsOf(at),
        scopes: u.orgPath,
      };
    }),
  );
  // Issue 17 (seeding 100k in minutes): the derived views are built from every entry in memory, but the ledger
  // keeps only each member's newest entry, and no feeds (history pages) are written. No benchmarked path reads the
  // ledger or a feed but by key (the quiz's "paid today?", an insert, an $addToSet), so their size does not change
  // what is measured; 1,000,000 ledger rows and 200,000 feed documents were two thirds of a 100k seed.
  const kept = ledger.filter((_, i) => i % entriesPerMember === entriesPerMember - 1);
  // Side by side (each step's seconds overlap): the engine takes one write at a time, the encoding overlaps it.
  await Promise.all([
    timed(seconds, 'ledger', () =>
      inChunks(kept, (c) => LedgerModel.collection.insertMany(c as never[], { ordered: false })),
    ),
    // The derived views straight from the entries, members and orgs in hand (rebuildPoints reads them all back).
    timed(seconds, 'totals, histograms, boards', () =>
      writeDerivedViews(ledger, { feeds: false, rows: { members: users, orgs: orgs as OrgDoc[] } }),
    ),
    timed(seconds, 'questions', () => loadQuestions(SEED_BANK)),
    timed(seconds, 'commitments', () => seedCommitments(users, now)),
    // The 数据看板 reads the county's subtree document (issue 18); without it the bench measured 404s.
    timed(seconds, 'org subtrees', () => {
      const docs = subtreesOf(orgs as OrgDoc[], cadreUsers as UserDoc[], CHECKIN_RULES.defaultRequiredDays);
      return writeSubtrees(docs.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })));
    }),
  ]);

  const postId = newId();
  await PostModel.create({
    _id: postId,
    title: '基准岗位',
    category: '交通引导',
    capacity: members + 10,
    orgId: countyId,
    orgPath: [countyId],
    createdBy: admin._id,
  });
  const fences = new Map(orgs.map((o) => [(o as { _id: string })._id, (o as { fence?: typeof fence }).fence]));
  const cadres = cadreUsers.map((c) => ({ id: c._id, fence: fences.get(c.orgPath[2]!)! }));
  return {
    countyId,
    branchIds: branchPaths.map((p) => p[3]!),
    memberIds: users.map((u) => u._id),
    cadres,
    postId,
    adminId: admin._id,
    seconds,
  };
}

/**
 * Every member with an approved commitment for this year (the wall at its fullest), and the walls' cards, heads
 * and pages of every org on each member's path, as the commitment service keeps them.
 */
async function seedCommitments(users: { _id: string; orgId?: string; orgPath: string[] }[], now: Date) {
  const year = currentYear(now);
  const docs = users.map((u, i) => {
    const approvedAt = new Date(now.getTime() - (i % 1000) * 60_000);
    return {
      _id: commitmentId(u._id, year),
      seq: 0,
      settledSeq: 0,
      userId: u._id,
      year,
      orgId: u.orgPath[3],
      orgPath: u.orgPath,
      status: 'approved',
      items: [{ text: '每月为群众办一件实事' }, { text: '带头参加红色星期六志愿服务' }],
      reviewComment: null,
      reviewerId: null,
      submittedAt: approvedAt,
      reviewedAt: approvedAt,
      approvedAt,
      progress: [],
      evaluation: null,
      createdAt: approvedAt,
      updatedAt: approvedAt,
    };
  });
  await inChunks(docs, (c) =>
    mongoose.connection.collection('commitments').insertMany(c as never[], { ordered: false }),
  );
  // Cards, wall heads and pages as the live writes keep them (commitments:rebuild's bulk half).
  await writeWallViews(docs as unknown as CommitmentDoc[], new Map(users.map((u) => [u._id, u as UserDoc])));
}
