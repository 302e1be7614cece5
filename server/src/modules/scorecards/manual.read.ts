import { quarterLabel, quarterRange, type ManualEntriesView, type Quarter } from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { UserModel } from '../users/users.model';
import { countyIdOf, placed, requireBranch } from './scorecards.service';
import { readCard, readManual, sortedVersions, versionForQuarter } from './scorecards.store';

/**
 * What a township admin sees before entering a manual value: the quarter's manual indicators (the card the quarter
 * is scored by) and the branch's entries with who made them. Reads by key: the branch, the card, the entries, each
 * entrant.
 */
export async function listManual(actor: SessionUser, branchId: string, quarter: Quarter): Promise<ManualEntriesView> {
  const branch = await requireBranch(branchId);
  authorize(actor, 'scorecard.enter', placed(branch));
  const [card, doc] = await Promise.all([readCard(countyIdOf(branch)), readManual(branch._id, quarter)]);
  const version = versionForQuarter(sortedVersions(card), quarterRange(quarter).last);
  const indicators = (version?.indicators ?? [])
    .filter((i) => i.kind === 'manual')
    .map((i) => ({ key: i.key, label: i.label, target: i.target }));
  const raw = Object.entries(doc?.entries ?? {});
  const names = new Map<string, string>();
  for (const id of new Set(raw.map(([, e]) => e.by))) {
    const u = await UserModel.findById(id, { name: 1 }).lean<{ name: string }>();
    names.set(id, u?.name ?? '（已注销）');
  }
  const entries = raw.map(([key, e]) => ({
    key,
    value: e.value,
    note: e.note,
    photoUrls: e.photoUrls,
    byName: names.get(e.by) ?? '',
    at: new Date(e.at).toISOString(),
  }));
  return { branch: { id: branch._id, name: branch.name }, quarter, label: quarterLabel(quarter), indicators, entries };
}
