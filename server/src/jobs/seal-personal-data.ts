import type { Collection, Document } from 'mongodb';
import { isDuplicateKey } from '../db/connect';
import { AuditModel } from '../modules/audit/audit.model';
import {
  currentKeyId,
  keyIdOf,
  phoneLookup,
  phoneTail,
  seal,
  sealOrNull,
  unseal,
} from '../modules/privacy/field-crypto';
import {
  RosterImportModel,
  RosterKeyModel,
  RosterLockModel,
  RosterRowModel,
  rosterKey,
} from '../modules/roster/roster.model';
import { SettingModel } from '../modules/settings/settings.model';
import { UserModel } from '../modules/users/users.model';
import { WishModel } from '../modules/wishes/wishes.model';

/**
 * Seals personal fields (issue 24): clear values written before encryption, and values sealed under an older key
 * (a rotation: DATA_KEYS lists the new key first and the old one after it). Users' phones (with their tail),
 * roster rows (re-keyed from `roster|county|<phone>` to the phone's HMAC, their locks and pending requests
 * following), the phone keys of binding, roster uploads and residents' contacts. Each collection is walked by `_id`
 * in pages of `batch` (key-ordered reads, bounded writes); every step can run again: a value already sealed under
 * the current key is left alone, a re-keyed row already written is not written twice. A marker remembers the key
 * the last complete run sealed with, so start-up skips the walk until the keys change.
 */
/** Also the most updates in one bulk write: a bulk of 100+ updates stalls the embedded engine (retention.ts). */
export const SEAL_BATCH = 50;

export interface SealResult {
  skipped: boolean;
  users: number;
  rosterRows: number;
  rosterLocks: number;
  rosterKeys: number;
  imports: number;
  wishes: number;
  audits: number;
}

const MARKER = 'sealed|personal-data';
/** The keys a run sealed with: the data key id and a fingerprint of the lookup key. */
const keysNow = () => `${currentKeyId()}|${phoneLookup('0')}`;

/** Needs sealing: a clear value, or one sealed under a key other than the current one. */
const stale = (v: unknown): v is string => typeof v === 'string' && v !== '' && keyIdOf(v) !== currentKeyId();
const reseal = (v: string): string => seal(unseal(v)!);

/** Every document of a collection in `_id` order, a page at a time. */
async function walk<T extends Document>(
  coll: Collection<T>,
  batch: number,
  onPage: (docs: T[]) => Promise<number>,
  filter: Document = {},
): Promise<number> {
  let last: unknown = null;
  let changed = 0;
  for (;;) {
    const page = (await coll
      .find({ ...filter, ...(last === null ? {} : { _id: { $gt: last } }) } as never)
      .sort({ _id: 1 })
      .limit(batch)
      .toArray()) as T[];
    if (page.length === 0) return changed;
    changed += await onPage(page);
    last = page[page.length - 1]!._id;
    if (page.length < batch) return changed;
  }
}

async function sealUsers(batch: number): Promise<number> {
  type U = { _id: string; identity?: { contact?: string | null; contactTail?: string | null } };
  return walk(UserModel.collection as unknown as Collection<U>, batch, async (users) => {
    const ops = users
      .filter((u) => stale(u.identity?.contact) || (u.identity?.contact && !u.identity.contactTail))
      .map((u) => {
        const clear = unseal(u.identity!.contact)!;
        return {
          updateOne: {
            filter: { _id: u._id },
            update: { $set: { 'identity.contact': seal(clear), 'identity.contactTail': phoneTail(clear) } },
          },
        };
      });
    if (ops.length > 0) await UserModel.collection.bulkWrite(ops as never, { ordered: false });
    return ops.length;
  });
}

/** A roster id as it is now: an old `roster|county|<phone>` id becomes the phone's HMAC. */
function currentRosterId(id: string, moved: Map<string, string>): string {
  const known = moved.get(id);
  if (known) return known;
  const m = /^roster\|([^|]+)\|(\d{6,15})$/.exec(id);
  return m ? rosterKey(m[1]!, m[2]!) : id;
}

async function insertIgnoringDuplicate(coll: Collection<Document>, doc: Document): Promise<void> {
  try {
    await coll.insertOne(doc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/** Roster rows: sealed phone, id from the HMAC (a new row written first, then the old one removed). */
async function sealRosterRows(batch: number, moved: Map<string, string>): Promise<number> {
  type R = { _id: string; countyId: string; phone: string };
  const coll = RosterRowModel.collection as unknown as Collection<R>;
  return walk(coll, batch, async (rows) => {
    let n = 0;
    for (const row of rows) {
      const clear = unseal(row.phone)!;
      const id = rosterKey(row.countyId, clear);
      if (id === row._id && !stale(row.phone)) continue;
      const phone = stale(row.phone) ? seal(clear) : row.phone;
      if (id === row._id) await coll.updateOne({ _id: id }, { $set: { phone } });
      else {
        await insertIgnoringDuplicate(coll as unknown as Collection<Document>, { ...row, _id: id, phone });
        await coll.deleteOne({ _id: row._id });
        moved.set(row._id, id);
      }
      n += 1;
    }
    return n;
  });
}

/** `row|<rosterId>` locks follow their row; `person|<userId>` locks name the row they took. */
async function moveRosterLocks(batch: number, moved: Map<string, string>): Promise<number> {
  type L = { _id: string; by: string };
  const coll = RosterLockModel.collection as unknown as Collection<L>;
  return walk(coll, batch, async (locks) => {
    let n = 0;
    for (const lock of locks) {
      if (lock._id.startsWith('row|')) {
        const id = `row|${currentRosterId(lock._id.slice(4), moved)}`;
        if (id === lock._id) continue;
        await insertIgnoringDuplicate(coll as unknown as Collection<Document>, { ...lock, _id: id });
        await coll.deleteOne({ _id: lock._id });
        n += 1;
      } else if (lock.by.startsWith('roster|')) {
        const by = currentRosterId(lock.by, moved);
        if (by === lock.by) continue;
        await coll.updateOne({ _id: lock._id }, { $set: { by } });
        n += 1;
      }
    }
    return n;
  });
}

/** `phone|<userId>` (a phone WeChat vouched for) and `bindq|<branchId>` (H5 requests: phone and roster id). */
async function sealRosterKeys(batch: number, moved: Map<string, string>): Promise<number> {
  type K = { _id: string; data: Record<string, unknown> };
  const coll = RosterKeyModel.collection as unknown as Collection<K>;
  return walk(coll, batch, async (docs) => {
    let n = 0;
    for (const doc of docs) {
      const set: Record<string, unknown> = {};
      if (doc._id.startsWith('phone|') && stale(doc.data.phone)) set['data.phone'] = reseal(doc.data.phone);
      if (doc._id.startsWith('bindq|'))
        for (const [userId, r] of Object.entries(doc.data as Record<string, { phone?: string; rosterId?: string }>)) {
          if (stale(r.phone)) set[`data.${userId}.phone`] = reseal(r.phone);
          const rosterId = r.rosterId ? currentRosterId(r.rosterId, moved) : r.rosterId;
          if (rosterId !== r.rosterId) set[`data.${userId}.rosterId`] = rosterId;
        }
      if (Object.keys(set).length === 0) continue;
      await coll.updateOne({ _id: doc._id }, { $set: set });
      n += 1;
    }
    return n;
  });
}

/** A roster upload keeps its rows and report for 30 minutes: their phones too are sealed. */
async function sealImports(batch: number): Promise<number> {
  type I = { _id: string; rows?: { phone: string }[]; report?: { phone: string }[] };
  const coll = RosterImportModel.collection as unknown as Collection<I>;
  return walk(coll, batch, async (docs) => {
    let n = 0;
    for (const doc of docs) {
      const rows = doc.rows ?? [];
      const report = doc.report ?? [];
      if (![...rows, ...report].some((r) => stale(r.phone))) continue;
      const fix = (list: { phone: string }[]) =>
        list.map((r) => ({ ...r, phone: stale(r.phone) ? reseal(r.phone) : r.phone }));
      await coll.updateOne({ _id: doc._id }, { $set: { rows: fix(rows), report: fix(report) } });
      n += 1;
    }
    return n;
  });
}

async function sealWishes(batch: number): Promise<number> {
  type W = { _id: string; residentContact?: string | null };
  return walk(WishModel.collection as unknown as Collection<W>, batch, async (wishes) => {
    const ops = wishes
      .filter((w) => stale(w.residentContact))
      .map((w) => ({
        updateOne: {
          filter: { _id: w._id },
          update: { $set: { residentContact: sealOrNull(unseal(w.residentContact)) } },
        },
      }));
    if (ops.length > 0) await WishModel.collection.bulkWrite(ops as never, { ordered: false });
    return ops.length;
  });
}

/** A refused binding's audit line names the roster row it asked for: the old id held the phone. */
async function moveAuditRosterIds(batch: number, moved: Map<string, string>): Promise<number> {
  type A = { _id: unknown; details?: { rosterId?: string } };
  return walk(
    AuditModel.collection as unknown as Collection<A>,
    batch,
    async (lines) => {
      let n = 0;
      for (const line of lines) {
        const id = line.details?.rosterId;
        if (!id || currentRosterId(id, moved) === id) continue;
        await AuditModel.collection.updateOne({ _id: line._id } as never, {
          $set: { 'details.rosterId': currentRosterId(id, moved) },
        });
        n += 1;
      }
      return n;
    },
    { action: 'roster.bindRefused' },
  );
}

/** The whole run; `force` walks even when the marker says the current keys already sealed everything. */
export async function sealPersonalData(batch = SEAL_BATCH, force = false): Promise<SealResult> {
  const marker = await SettingModel.collection.findOne({ _id: MARKER } as never);
  const empty = { users: 0, rosterRows: 0, rosterLocks: 0, rosterKeys: 0, imports: 0, wishes: 0, audits: 0 };
  if (!force && marker && (marker as { keys?: string }).keys === keysNow()) return { skipped: true, ...empty };
  const moved = new Map<string, string>();
  const result: SealResult = {
    skipped: false,
    users: await sealUsers(batch),
    rosterRows: await sealRosterRows(batch, moved),
    rosterLocks: await moveRosterLocks(batch, moved),
    rosterKeys: await sealRosterKeys(batch, moved),
    imports: await sealImports(batch),
    wishes: await sealWishes(batch),
    audits: await moveAuditRosterIds(batch, moved),
  };
  await SettingModel.collection.updateOne(
    { _id: MARKER } as never,
    { $set: { keys: keysNow(), at: new Date() } },
    { upsert: true },
  );
  return result;
}
