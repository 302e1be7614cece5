import path from 'node:path';
import mongoose from 'mongoose';
import { flushGroupedMarks } from '../../db/grouped-marks';
import { CLOSED_MEMBER_NAME } from '@pioneer/shared/src/privacy';
import { notFound } from '../../http/errors';
import { LoginModel, UserModel, type UserDoc } from '../users/users.model';
import { UploadModel } from '../uploads/uploads.model';
import { diskStore, type FileStore } from '../uploads/storage';
import { CheckinModel, CoordSeenModel, LastFixModel } from '../checkins/checkins.model';
import { dropMonthFixesOf } from './month-fixes';
import { RosterRowModel } from '../roster/roster.model';
import { setHidden } from '../settings/settings.service';
import { ConsentModel } from './privacy.model';
import { phoneLookup, unseal } from './field-crypto';
import { refreshMemberCards } from '../commitments/card-writes';

/** What identifies the member as a person: each string is scrubbed wherever it appears. */
interface Personal {
  userId: string;
  names: string[];
  /** Phone numbers, openids, upload keys: removed wherever a string contains them. */
  secrets: string[];
}

const SCRUB_BATCH = 500;

/**
 * Replaces the member's name (whole or inside a label) with 已注销党员 and drops any string holding a secret (phone, openid, photo key),
 * from arrays too. Returns the same value when nothing changed, so the caller writes only what it must.
 */
export function scrubValue(value: unknown, p: Personal): unknown {
  if (typeof value === 'string') {
    if (p.secrets.some((s) => value.includes(s))) return null;
    // Labels ('打卡 · 张三') and packed rows (a board's JSON text) carry the name inside a longer string.
    const named = p.names.reduce((v, n) => v.split(n).join(CLOSED_MEMBER_NAME), value);
    return named === value ? value : named;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out: unknown[] = [];
    for (const v of value) {
      const s = scrubValue(v, p);
      if (s !== v) changed = true;
      if (!(s === null && typeof v === 'string')) out.push(s);
    }
    return changed ? out : value;
  }
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value as { _bsontype?: string })._bsontype) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = scrubValue(v, p);
      if (s !== v) changed = true;
      out[k] = s;
    }
    return changed ? out : value;
  }
  return value;
}

/**
 * Walks every collection once and rewrites the documents that mention the member (their id anywhere, or a secret):
 * a scan by design. Closing an account is rare (a few a year in a county) and must reach every copy of a name:
 * boards, audit feed pages, reviews, activities and replies keep names beside ids so pages read by key.
 */
async function scrubEverywhere(p: Personal): Promise<number> {
  const db = mongoose.connection.db!;
  let rewritten = 0;
  const marks = [p.userId, ...p.secrets];
  // Lines still queued for the audit feeds land before the walk, not after it (audit-feed.ts).
  await flushGroupedMarks();
  // Audit entries first: a feed page's item about the member (e.g. 补录 of them into an activity) names them in its
  // summary without their id; the entry it copies has the id, so its id marks the item.
  const names = (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .sort((a, b) => Number(b === 'audits') - Number(a === 'audits'));
  const auditIds = new Set<string>();
  for (const name of names) {
    const coll = db.collection(name);
    for await (const doc of coll.find({}).batchSize(SCRUB_BATCH)) {
      const next = name === 'audit_feed_pages' ? scrubFeedPage(doc, p, auditIds) : scrubDoc(doc, p, marks);
      if (next === doc) continue;
      if (name === 'audits') auditIds.add(String(doc._id));
      const { _id, ...rest } = next;
      await coll.replaceOne({ _id: doc._id }, rest);
      rewritten += 1;
    }
  }
  return rewritten;
}

function scrubDoc<T extends object>(doc: T, p: Personal, marks: string[]): T {
  const text = JSON.stringify(doc);
  if (!marks.some((m) => text.includes(m))) return doc;
  return scrubValue(doc, p) as T;
}

/** A feed page holds many people's entries: only the items of entries about the member are rewritten. */
function scrubFeedPage<T extends Record<string, unknown>>(doc: T, p: Personal, auditIds: Set<string>): T {
  if (!Array.isArray(doc.items)) return doc;
  const marks = [p.userId, ...p.secrets];
  let changed = false;
  const items = (doc.items as { id?: string }[]).map((item) => {
    const about = auditIds.has(String(item.id)) || marks.some((m) => JSON.stringify(item).includes(m));
    const next = about ? scrubValue(item, p) : item;
    if (next !== item) changed = true;
    return next;
  });
  return changed ? { ...doc, items } : doc;
}

/** Keys that carry a secret in their `_id` (login `wx:<openid>`, roster `roster|county|<phone>`): deleted outright. */
async function deleteKeyedBySecret(p: Personal): Promise<void> {
  const db = mongoose.connection.db!;
  for (const info of await db.listCollections({}, { nameOnly: true }).toArray()) {
    const coll = db.collection(info.name);
    const ids: unknown[] = [];
    for await (const doc of coll.find({}, { projection: { _id: 1 } })) {
      if (typeof doc._id === 'string' && p.secrets.some((s) => (doc._id as unknown as string).includes(s)))
        ids.push(doc._id);
    }
    if (ids.length > 0) await coll.deleteMany({ _id: { $in: ids } } as never);
  }
}

async function personalOf(user: UserDoc): Promise<Personal> {
  const [logins, uploads] = await Promise.all([
    // Scans of two collections: closure is rare; sign-in keeps its key lookup.
    LoginModel.find({ userId: user._id }).lean(),
    UploadModel.find({ userId: user._id }, { _id: 1 }).lean(),
  ]);
  // Phones are sealed at rest: the clear number (any copy left from before encryption), the sealed values and the
  // lookup key (roster ids, locks) are all secrets.
  const stored = [user.identity?.contact].filter((x): x is string => !!x);
  const rosterRows = await RosterRowModel.find({ userId: user._id }).lean();
  for (const r of rosterRows) if (typeof r.phone === 'string') stored.push(r.phone);
  const clear = stored.map((s) => unseal(s)!);
  const phones = [...stored, ...clear, ...clear.map(phoneLookup)];
  const names = [user.name, ...rosterRows.map((r) => r.name as string)].filter((n) => n && n !== CLOSED_MEMBER_NAME);
  const photos = [user.identity?.photoUrl, user.avatarUrl].filter((x): x is string => !!x && x.length > 0);
  return {
    userId: user._id,
    names: [...new Set(names)],
    secrets: [
      ...new Set([...phones, ...logins.map((l) => l._id.replace(/^wx:/, '')), ...uploads.map((u) => u._id), ...photos]),
    ],
  };
}

/** Raw fixes go; the day, inside/outside, distance and flags stay (the county's reports still add up). */
async function dropFixes(userId: string): Promise<void> {
  await CheckinModel.collection.updateMany(
    { userId },
    { $unset: { lat: '', lng: '', rawLat: '', rawLng: '', accuracy: '' }, $set: { reduced: true } },
  );
  await LastFixModel.deleteOne({ _id: userId });
  await dropMonthFixesOf(userId);
  // `${userId}|lat,lng`: the key itself is a coordinate. A scan of the member's own prefix would need a range
  // query; closure is rare, so the ids are read once and deleted.
  const seen = await CoordSeenModel.find({ _id: { $regex: `^${userId}\\|` } }, { _id: 1 }).lean();
  if (seen.length > 0) await CoordSeenModel.deleteMany({ _id: { $in: seen.map((s) => s._id) } });
}

async function deletePhotos(store: FileStore, keys: string[]): Promise<void> {
  for (const key of keys) await store.remove(key).catch(() => undefined);
  await UploadModel.deleteMany({ _id: { $in: keys } });
}

/**
 * 注销账号: personal data erased or irreversibly anonymized; the member's id stays as the anonymous id the ledger,
 * totals and boards already use, so county sums are unchanged. The user document keeps only what totals need
 * (branch placement) and is marked closed; no login link remains, so nobody signs in as it again.
 */
export async function closeAccount(
  userId: string,
  dataDir: string,
  store: FileStore = diskStore(path.join(dataDir, 'uploads')),
): Promise<{ rewritten: number }> {
  const user = await UserModel.findById(userId).lean<UserDoc>();
  if (!user) throw notFound('账号');
  const p = await personalOf(user);
  const uploadKeys = (await UploadModel.find({ userId }, { _id: 1 }).lean()).map((u) => u._id);
  await UserModel.collection.updateOne({ _id: userId } as never, {
    $set: {
      name: CLOSED_MEMBER_NAME,
      avatarUrl: '',
      identity: { dutyTitle: null, partySince: null, contact: null, contactTail: null, photoUrl: null, badge: null },
      hideFromRankings: true,
      closedAt: new Date(),
      roles: ['member'],
      adminOrgId: null,
      postedVillageId: null,
    },
  });
  if (user.orgPath[0]) await setHidden(user.orgPath[0], userId, true);
  // 承诺墙 cards rendered again from the anonymized member (before the scrub, which then finds nothing there).
  await refreshMemberCards(userId);
  await LoginModel.deleteMany({ userId });
  await ConsentModel.deleteOne({ _id: userId });
  await dropFixes(userId);
  await deletePhotos(store, uploadKeys);
  await deleteKeyedBySecret(p);
  const rewritten = await scrubEverywhere(p);
  return { rewritten };
}
