import { randomBytes } from 'node:crypto';
import type { RosterCounts, RosterImport, RosterReportRow } from '@pioneer/shared';
import { AppError, forbidden, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { recordAudit } from '../audit/audit.service';
import { requireOrg } from '../orgs/orgs.service';
import { RosterImportModel, RosterKeyModel, RosterLockModel } from './roster.model';
import { parseRoster, type SheetRow } from './roster.parse';
import { OrgIndex, planRoster } from './roster.plan';
import { CHUNK, writeChunk } from './roster.write';
import { isDuplicateKey } from '../../db/connect';
import { sealOrNull, unseal } from '../privacy/field-crypto';

/** How long a dry run's parsed rows wait for the admin's confirm. */
const KEEP_MS = 30 * 60 * 1000;

interface ImportDoc {
  _id: string;
  actorId: string;
  countyId: string;
  fileName: string;
  state: RosterImport['state'];
  expiresAt: Date;
  total: number;
  done: number;
  counts: RosterCounts;
  rows: SheetRow[];
  report: RosterReportRow[];
  error: string | null;
}

const countsOf = (report: RosterReportRow[]): RosterCounts => {
  const counts = { created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const r of report) counts[r.status] += 1;
  return counts;
};

/** The upload's phones are sealed at rest like every other copy of a number (issue 24), opened when read back. */
const sealPhones = <T extends { phone: string }>(rows: T[]): T[] =>
  rows.map((r) => ({ ...r, phone: sealOrNull(r.phone) ?? '' }));
const openPhones = <T extends { phone: string }>(rows: T[]): T[] =>
  rows.map((r) => ({ ...r, phone: unseal(r.phone) ?? '' }));

async function readImport(key: string): Promise<ImportDoc | null> {
  const doc = await RosterImportModel.findById(key).lean<ImportDoc>();
  return doc && { ...doc, rows: openPhones(doc.rows), report: openPhones(doc.report) };
}

function view(doc: ImportDoc): RosterImport {
  return {
    key: doc._id,
    fileName: doc.fileName,
    state: doc.state,
    expiresAt: doc.expiresAt.toISOString(),
    total: doc.total,
    done: doc.done,
    counts: doc.counts,
    rows: doc.report,
    error: doc.error,
  };
}

/** The admin's org and the county it lies in (the roster key's scope). */
async function importScope(actor: SessionUser) {
  if (!actor.adminOrgId) throw forbidden('只有管理员可以导入党员名册');
  const adminOrg = await requireOrg(actor.adminOrgId);
  authorize(actor, 'roster.import', adminOrg);
  const county = adminOrg.path.length > 0 ? await requireOrg(adminOrg.path[0]!) : adminOrg;
  return { county, index: await OrgIndex.load(county) };
}

/** Dry run: parses and checks every row, writes no member, keeps the rows by a random key for the confirm. */
export async function dryRunRoster(
  actor: SessionUser,
  file: { buffer: Buffer; name: string },
  now = new Date(),
): Promise<RosterImport> {
  const { county, index } = await importScope(actor);
  const rows = await parseRoster(file.buffer, file.name);
  const plan = await planRoster(actor, index, rows);
  // Old uploads go when a new one comes (a deliberate scan of a small collection).
  await RosterImportModel.deleteMany({ expiresAt: { $lt: now } });
  const doc: ImportDoc = {
    _id: randomBytes(16).toString('hex'),
    actorId: actor.id,
    countyId: county._id,
    fileName: file.name.slice(0, 100),
    state: 'checked',
    expiresAt: new Date(now.getTime() + KEEP_MS),
    total: rows.length,
    done: 0,
    counts: countsOf(plan.report),
    rows,
    report: plan.report,
    error: null,
  };
  await RosterImportModel.create({ ...doc, rows: sealPhones(doc.rows), report: sealPhones(doc.report) });
  return view(doc);
}

async function ownImport(actor: SessionUser, key: string): Promise<ImportDoc> {
  const doc = await readImport(key);
  // Someone else's upload is as unknown as a wrong key.
  if (!doc || doc.actorId !== actor.id) throw notFound('导入记录');
  return doc;
}

/**
 * Progress lives in a small doc of its own (`job|<key>`): the import doc holds every row and the report (~1.5 MB at
 * 5,000 rows), and the embedded engine rewrites a whole document on each update.
 */
const jobKey = (key: string) => `job|${key}`;
async function withProgress(doc: ImportDoc): Promise<RosterImport> {
  const job = await RosterKeyModel.findById(jobKey(doc._id)).lean<{ data: Partial<ImportDoc> }>();
  return view({ ...doc, ...(job?.data ?? {}) } as ImportDoc);
}
const setProgress = (key: string, data: Partial<ImportDoc>) =>
  RosterKeyModel.updateOne(
    { _id: jobKey(key) },
    { $set: Object.fromEntries(Object.entries(data).map(([k, v]) => [`data.${k}`, v])) },
    { upsert: true },
  );

export async function getRosterImport(actor: SessionUser, key: string): Promise<RosterImport> {
  return withProgress(await ownImport(actor, key));
}

/**
 * Confirm: re-validates the kept rows against the database as it is now, then writes the valid rows in chunks in
 * the background; the page polls the import by key for progress. Confirming twice starts one import (a lock by
 * insert). Rows with errors are never written; a row is written whole or not at all.
 */
export async function confirmRosterImport(actor: SessionUser, key: string, now = new Date()): Promise<RosterImport> {
  const doc = await ownImport(actor, key);
  if (doc.expiresAt.getTime() <= now.getTime() && doc.state === 'checked') throw new AppError('IMPORT_EXPIRED');
  try {
    await RosterLockModel.create({ _id: `import|${key}`, by: actor.id });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return withProgress(doc);
  }
  const { index } = await importScope(actor);
  const plan = await planRoster(actor, index, doc.rows);
  await RosterImportModel.updateOne(
    { _id: key },
    { $set: { report: sealPhones(plan.report), counts: countsOf(plan.report) } },
  );
  await setProgress(key, { state: 'running', total: plan.writes.length, done: 0 });
  void runImport(actor, key, index, plan.writes, plan.report);
  return withProgress((await readImport(key))!);
}

async function runImport(
  actor: SessionUser,
  key: string,
  index: OrgIndex,
  writes: Awaited<ReturnType<typeof planRoster>>['writes'],
  report: RosterReportRow[],
) {
  try {
    for (let i = 0; i < writes.length; i += CHUNK) {
      const lost = await writeChunk(index, index.county._id, writes.slice(i, i + CHUNK));
      for (const r of report)
        if (lost.has(r.row)) Object.assign(r, { status: 'error', reason: '另一次导入刚刚写入了该手机号，请重新预检' });
      if (lost.size > 0)
        await RosterImportModel.updateOne(
          { _id: key },
          { $set: { report: sealPhones(report), counts: countsOf(report) } },
        );
      await setProgress(key, { done: Math.min(i + CHUNK, writes.length) });
    }
    await setProgress(key, { state: 'done' });
    await recordAudit({
      actorId: actor.id,
      action: 'roster.import',
      targetType: 'org',
      targetId: index.county._id,
      details: { key, ...countsOf(report) },
    });
  } catch (err) {
    process.emitWarning(`roster import ${key} failed: ${(err as Error).message}`);
    await setProgress(key, {
      state: 'failed',
      error: '导入中断：已写入的行保持不变，请重新上传同一文件继续（已导入的行会显示为无变化）',
    }).catch(() => undefined);
  }
}
