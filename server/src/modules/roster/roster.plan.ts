import { createHash } from 'node:crypto';
import { MainlandPhoneSchema, ROSTER_CATEGORIES, ROSTER_ROLES, type RosterReportRow } from '@pioneer/shared';
import { can, type Actor } from '../../policy';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { findUser } from '../users/users.service';
import type { UserDoc } from '../users/users.model';
import { RosterRowModel, rosterKey, type RosterRowDoc } from './roster.model';
import type { SheetRow } from './roster.parse';

/** A row ready to write: what the member becomes, and what they were (null: created). */
export interface PlannedRow {
  row: number;
  key: string;
  phone: string;
  name: string;
  branchId: string;
  category: string;
  joinedAt: string | null;
  duty: string;
  role: 'member' | 'secretary' | 'cadre';
  villageId: string | null;
  hash: string;
  existing: { roster: RosterRowDoc; user: UserDoc | null } | null;
}

export interface Plan {
  report: RosterReportRow[];
  writes: PlannedRow[];
}

/** The county's orgs, by full path below the county ("青山镇/青山村/青山村党支部") and by name. A deliberate scan of the small orgs collection, once per import. */
export class OrgIndex {
  private byPath = new Map<string, OrgDoc>();
  private byName = new Map<string, OrgDoc[]>();
  private byId = new Map<string, OrgDoc>();
  constructor(
    readonly county: OrgDoc,
    orgs: OrgDoc[],
  ) {
    const byId = new Map([county, ...orgs].map((o) => [o._id, o]));
    this.byId = byId;
    for (const org of orgs) {
      const names = [...org.path.slice(1).map((id) => byId.get(id)?.name ?? '?'), org.name];
      this.byPath.set(names.join('/'), org);
      this.byName.set(org.name, [...(this.byName.get(org.name) ?? []), org]);
    }
  }

  static async load(county: OrgDoc): Promise<OrgIndex> {
    const orgs = await OrgModel.find({ path: county._id }).lean<OrgDoc[]>();
    return new OrgIndex(county, orgs);
  }

  get(id: string): OrgDoc | undefined {
    return this.byId.get(id);
  }

  /** A full path (with or without the county's name first) or a unique name; else why not. */
  find(text: string, types: string[], what: string): OrgDoc | string {
    const cleaned = text.replace(/\s/g, '').replace(/[\\／]/g, '/');
    const withoutCounty = cleaned.startsWith(`${this.county.name}/`)
      ? cleaned.slice(this.county.name.length + 1)
      : cleaned;
    let org = this.byPath.get(withoutCounty);
    if (!org && !withoutCounty.includes('/')) {
      const named = (this.byName.get(withoutCounty) ?? []).filter((o) => types.includes(o.type));
      if (named.length > 1) return `${what}“${text}”有重名，请写完整路径（如 乡镇/村/支部）`;
      org = named[0];
    }
    if (!org) return `${what}“${text}”不存在，请先在组织架构中建立或核对名称`;
    if (!types.includes(org.type)) return `“${text}”不是${what}`;
    return org;
  }
}

/** 2001-07-01, 2001/7/1, 2001.7.1, 2001年7月1日, 2001-07 (the 1st). */
export function parseJoinDate(text: string, today = new Date()): string | null | Error {
  if (!text) return null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月?)$/.exec(text.trim());
  if (!m) return new Error(`入党时间“${text}”格式不对，应为 2001-07-01`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return new Error(`入党时间“${text}”不是有效日期`);
  if (y < 1921 || date.getTime() > today.getTime()) return new Error(`入党时间“${text}”不在 1921 年至今之间`);
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const ROLE_WORDS: Record<string, PlannedRow['role']> = { '': 'member', ...ROSTER_ROLES };

type Checked = Omit<PlannedRow, 'existing' | 'key' | 'hash'>;

/** Everything a row says, checked on its own (no database): an error message or the row to write. */
function checkRow(actor: Actor, index: OrgIndex, r: SheetRow): Checked | string {
  if (!r.name) return '姓名为空';
  if (Array.from(r.name).length > 30) return '姓名超过 30 个字';
  if (!MainlandPhoneSchema.safeParse(r.phone).success) return `手机号“${r.phone}”不是 11 位大陆手机号`;
  if (!r.branch) return '所在支部为空';
  const branch = index.find(r.branch, ['branch'], '支部');
  if (typeof branch === 'string') return branch;
  const category = r.category || '正式党员';
  if (!(ROSTER_CATEGORIES as readonly string[]).includes(category))
    return `人员类别“${r.category}”应为 正式党员 或 预备党员`;
  const joinedAt = parseJoinDate(r.joinedAt);
  if (joinedAt instanceof Error) return joinedAt.message;
  const role = ROLE_WORDS[r.role];
  if (!role) return `角色“${r.role}”应为 党员、支部书记 或 驻村干部`;
  let villageId: string | null = null;
  if (role === 'cadre') {
    if (!r.village) return '驻村干部须填写驻村（村或社区）';
    const village = index.find(r.village, ['village', 'community'], '村或社区');
    if (typeof village === 'string') return village;
    villageId = village._id;
  } else if (r.village) return '只有驻村干部填写驻村';
  if (Array.from(r.duty).length > 30) return '职务超过 30 个字';
  const places = [branch, ...(villageId ? [index.find(r.village, ['village', 'community'], '') as OrgDoc] : [])];
  if (!places.every((o) => can(actor, 'roster.import', o))) return '所在支部或驻村不在您的管辖范围内';
  return {
    row: r.row,
    phone: r.phone,
    name: r.name,
    branchId: branch._id,
    category,
    joinedAt,
    duty: r.duty,
    role,
    villageId,
  };
}

const hashOf = (c: Checked) =>
  createHash('sha256')
    .update(JSON.stringify([c.name, c.branchId, c.category, c.joinedAt, c.duty, c.role, c.villageId]))
    .digest('hex')
    .slice(0, 32);

/** Key reads, a few at a time (the engine serves reads side by side). */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/**
 * The dry run, and again on confirm (against the database as it is then): each row created / updated / unchanged /
 * error. Duplicate phones in the file are errors on every occurrence (which one is right is the admin's call).
 */
export async function planRoster(actor: Actor, index: OrgIndex, rows: SheetRow[]): Promise<Plan> {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(r.phone, (seen.get(r.phone) ?? 0) + 1);
  const checked = rows.map((r) =>
    r.phone && seen.get(r.phone)! > 1
      ? `手机号 ${r.phone} 在文件中出现了 ${seen.get(r.phone)} 次`
      : checkRow(actor, index, r),
  );
  // One read of the county's roster (an import, not a hot path: cheaper than a key read per row), then a key read
  // of the member of each row that exists.
  const known = new Map(
    (await RosterRowModel.find({ countyId: index.county._id }).lean<RosterRowDoc[]>()).map((r) => [r._id, r]),
  );
  const existing = await mapLimited(checked, 16, async (c) => {
    if (typeof c === 'string') return null;
    const roster = known.get(rosterKey(index.county._id, c.phone));
    return roster ? { roster, user: await findUser(roster.userId) } : null;
  });
  const report: RosterReportRow[] = [];
  const writes: PlannedRow[] = [];
  rows.forEach((r, i) => {
    const c = checked[i]!;
    const base = { row: r.row, name: r.name, phone: r.phone, branch: r.branch };
    if (typeof c === 'string') return void report.push({ ...base, status: 'error', reason: c });
    const before = existing[i] ?? null;
    const planned: PlannedRow = { ...c, key: rosterKey(index.county._id, c.phone), hash: hashOf(c), existing: before };
    const scopeError = before?.user ? outsideScope(actor, before.user, index) : null;
    if (scopeError) return void report.push({ ...base, status: 'error', reason: scopeError });
    // A member written before 人员类别 lived on the user is brought up to date by the next import.
    const unchanged =
      before && before.roster.hash === planned.hash && before.user && before.user.category === planned.category;
    report.push({ ...base, status: unchanged ? 'unchanged' : before ? 'updated' : 'created', reason: null });
    if (!unchanged) writes.push(planned);
  });
  return { report, writes };
}

/** An existing member is changed only by an admin who covers every power they hold (policy 'member.setRoles'). */
function outsideScope(actor: Actor, user: UserDoc, index: OrgIndex): string | null {
  const held = [user.orgId, user.adminOrgId, user.postedVillageId].filter((id): id is string => !!id);
  // An org of another county is outside every admin of this one: placed at its own root.
  const before = held.map((id) => index.get(id) ?? { _id: id, path: [] as string[] });
  return can(actor, 'member.setRoles', { before, after: [] }) ? null : '该手机号的党员不在您的管辖范围内';
}
