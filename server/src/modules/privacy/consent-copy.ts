import type { AnyBulkWriteOperation } from 'mongoose';
import { SettingModel } from '../settings/settings.model';
import { UserModel } from '../users/users.model';
import { ConsentModel } from './privacy.model';

/** Members per page, and so updates per bulk write (a bulk of 100+ updates stalls the embedded engine). */
export const COPY_BATCH = 50;
const MARKER = 'migrated|consent-on-users';

type Answer = { version: string; decision: string } | null;

/** One page of members after `last` in `_id` order (the filter is the key alone, as the sealing walk's). */
async function pageAfter(last: string | null, batch: number): Promise<{ _id: string; privacyConsent?: Answer }[]> {
  return UserModel.find(last === null ? {} : { _id: { $gt: last } }, { _id: 1, privacyConsent: 1 })
    .sort({ _id: 1 })
    .limit(batch)
    .lean<{ _id: string; privacyConsent?: Answer }[]>();
}

/** Each member of the page gets their recorded answer, or null (no answer), unless a copy was written meanwhile. */
async function copyPage(ids: string[]): Promise<void> {
  const records = await ConsentModel.find({ _id: { $in: ids } }).lean();
  const answers = new Map<string, Answer>(records.map((r) => [r._id, { version: r.version, decision: r.decision }]));
  const ops: AnyBulkWriteOperation[] = ids.map((id) => ({
    updateOne: {
      filter: { _id: id, privacyConsent: { $exists: false } },
      update: { $set: { privacyConsent: answers.get(id) ?? null } },
    },
  }));
  await UserModel.bulkWrite(ops as never, { ordered: false });
}

/**
 * Issue 17: the privacy answer moved onto the member document (`privacyConsent`, read with the session's member).
 * Members from before carry no copy and the gate reads their record instead (consent.service.ts consentAnswer);
 * this walk gives every one of them the copy of their record (null when they never answered), a page at a time in
 * `_id` order, at start-up before listening, so the gates stop reading records. A copy written by an answer
 * meanwhile is kept (`$exists: false` in each update). A marker skips the walk once it has finished; it can run
 * again (it only touches members still without a copy). Returns the members given a copy.
 */
export async function copyConsentsToUsers(batch = COPY_BATCH): Promise<{ skipped: boolean; users: number }> {
  if (await SettingModel.exists({ _id: MARKER })) return { skipped: true, users: 0 };
  let last: string | null = null;
  let users = 0;
  for (;;) {
    const page = await pageAfter(last, batch);
    const ids = page.filter((u) => u.privacyConsent === undefined).map((u) => u._id);
    if (ids.length > 0) await copyPage(ids);
    users += ids.length;
    if (page.length < batch) break;
    last = page[page.length - 1]!._id;
  }
  await SettingModel.updateOne({ _id: MARKER }, { $set: { at: new Date() } }, { upsert: true });
  return { skipped: false, users };
}
