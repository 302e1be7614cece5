import mongoose from 'mongoose';
import { ensureIndexes } from '../db/connect';
import type { OrgType, PointReason, Role } from '@pioneer/shared';
import { newId } from '../db/ids';
import { OrgModel } from '../modules/orgs/orgs.model';
import { dayKey, periodIds, shanghaiInstant } from '@pioneer/shared';
import type { AwardInput } from '../modules/points/points.service';
import { LedgerModel } from '../modules/points/points.model';
import { rebuildPoints } from './points-rebuild';
import { rebuildDashboard } from './dashboard-rebuild';
import { demoHistory, demoHistoryActivities } from '../modules/dashboard/demo';
import { seedDemoInspections } from '../modules/inspections/demo';
import { loadQuestions } from '../modules/quiz/questions.service';
import { SEED_BANK } from '../modules/quiz/seed-bank';
import { LoginModel, UserModel } from '../modules/users/users.model';
import { saveConsent } from '../modules/privacy/consent.service';
import { PRIVACY_VERSION } from '@pioneer/shared/src/privacy';
import { DEMO_CADRE_OPENIDS, seedDemoCheckins } from '../modules/checkins/demo';
import { seedDemoServices } from '../modules/posts/demo';
import { seedDemoCommitments } from '../modules/commitments/demo';
import { seedDemoActivities } from '../modules/activities/demo';
import { seedDemoStudy } from '../modules/study/demo';
import { sealedContact } from '../modules/privacy/field-crypto';

/** A small deterministic PRNG, so the demo county is the same on every machine. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈'.split('');
const GIVEN =
  '建国 秀英 志强 海燕 立新 桂兰 国平 红梅 永刚 丽华 春生 玉珍 德明 金凤 卫东 淑芬 学军 翠花 宏伟 晓燕 长青 振华 爱民 凤英'.split(
    ' ',
  );

interface OrgSeed {
  key: string;
  name: string;
  type: OrgType;
  parent?: string;
  /** GCJ-02 centre, as Tencent/WeChat maps give it. */
  fence?: { lat: number; lng: number; radiusM: number };
}

/** 青山县: a fictional county drawn on the seed reports (Deqing's posts, Datong's posted cadres). */
const ORGS: OrgSeed[] = [
  { key: 'county', name: '青山县', type: 'county' },
  { key: 't1', name: '青山镇', type: 'township', parent: 'county' },
  { key: 't2', name: '溪口乡', type: 'township', parent: 'county' },
  { key: 'v1', name: '青山村', type: 'village', parent: 't1', fence: { lat: 30.5447, lng: 119.9752, radiusM: 600 } },
  { key: 'v2', name: '竹林村', type: 'village', parent: 't1', fence: { lat: 30.5612, lng: 119.9423, radiusM: 500 } },
  { key: 'v3', name: '溪口村', type: 'village', parent: 't2', fence: { lat: 30.4921, lng: 120.0314, radiusM: 500 } },
  { key: 'v4', name: '桃源村', type: 'village', parent: 't2', fence: { lat: 30.4783, lng: 120.0576, radiusM: 800 } },
  { key: 'a1', name: '县委组织部', type: 'agency', parent: 'county' },
  { key: 'b1', name: '青山村党支部', type: 'branch', parent: 'v1' },
  { key: 'b2', name: '竹林村党支部', type: 'branch', parent: 'v2' },
  { key: 'b3', name: '溪口村党支部', type: 'branch', parent: 'v3' },
  { key: 'b4', name: '桃源村党支部', type: 'branch', parent: 'v4' },
  { key: 'b5', name: '青山镇机关党支部', type: 'branch', parent: 't1' },
  { key: 'b6', name: '县委组织部机关党支部', type: 'branch', parent: 'a1' },
];

interface PersonSeed {
  openid: string;
  name: string;
  branch: string;
  roles: Role[];
  admin?: string;
  posted?: string;
  dutyTitle?: string;
}

const DEMO_PEOPLE: PersonSeed[] = [
  {
    openid: 'demo-admin',
    name: '王组织',
    branch: 'b6',
    roles: ['member', 'admin'],
    admin: 'county',
    dutyTitle: '组织部干部',
  },
  { openid: 'demo-secretary', name: '李书记', branch: 'b1', roles: ['member', 'secretary'], dutyTitle: '支部书记' },
  {
    openid: 'demo-cadre',
    name: '赵驻村',
    branch: 'b1',
    roles: ['member', 'cadre'],
    posted: 'v1',
    dutyTitle: '驻村干部',
  },
  { openid: 'demo-member', name: '陈党员', branch: 'b1', roles: ['member'], dutyTitle: '党员中心户' },
];

const EARNINGS: { reason: PointReason; points: [number, number]; weight: number }[] = [
  { reason: 'daily_quiz', points: [2, 5], weight: 6 },
  { reason: 'weekly_quiz', points: [5, 10], weight: 1 },
  { reason: 'activity_attended', points: [3, 3], weight: 1 },
  { reason: 'post_service', points: [2, 6], weight: 1 },
  { reason: 'wish_fulfilled', points: [5, 5], weight: 0.3 },
];

async function buildOrgs(): Promise<Map<string, { id: string; path: string[] }>> {
  const placed = new Map<string, { id: string; path: string[] }>();
  for (const seed of ORGS) {
    const parent = seed.parent ? placed.get(seed.parent)! : null;
    const id = newId();
    const path = parent ? [...parent.path, parent.id] : [];
    await OrgModel.create({
      _id: id,
      name: seed.name,
      type: seed.type,
      parentId: parent?.id ?? null,
      path,
      fence: seed.fence ?? null,
    });
    placed.set(seed.key, { id, path });
  }
  return placed;
}

export interface DemoSummary {
  orgs: number;
  members: number;
  questions: number;
  awards: number;
  ms: number;
}

/** Loads the demo county: orgs, ~60 members (the four dev-login identities among them) and three weeks of points. */
export async function seedDemoCounty(now = new Date()): Promise<DemoSummary> {
  const started = Date.now();
  const random = mulberry32(20261125);
  const bank = await loadQuestions(SEED_BANK);
  const orgs = await buildOrgs();
  const branches = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
  const people: PersonSeed[] = [...DEMO_PEOPLE];
  for (let i = 0; people.length < 60; i++) {
    const name = SURNAMES[Math.floor(random() * SURNAMES.length)]! + GIVEN[Math.floor(random() * GIVEN.length)]!;
    people.push({
      openid: `demo-m${String(i).padStart(2, '0')}`,
      name,
      branch: branches[i % branches.length]!,
      roles: ['member'],
    });
  }
  const memberCounts = new Map<string, number>();
  const userIds: string[] = [];
  for (const p of people) {
    const branch = orgs.get(p.branch)!;
    const orgPath = [...branch.path, branch.id];
    const id = newId();
    await UserModel.create({
      _id: id,
      name: p.name,
      roles: p.roles,
      orgId: branch.id,
      orgPath,
      adminOrgId: p.admin ? orgs.get(p.admin)!.id : null,
      postedVillageId: p.posted ? orgs.get(p.posted)!.id : null,
      // Posted when the history begins (300 days back): 应出勤 is owed from then on, not before.
      postedSince: p.posted ? dayKey(now.getTime() - 300 * 86_400_000) : null,
      identity: {
        dutyTitle: p.dutyTitle ?? null,
        partySince: 1975 + Math.floor(random() * 45),
        ...sealedContact(`139${String(Math.floor(random() * 1e8)).padStart(8, '0')}`),
      },
    });
    await LoginModel.create({ _id: `wx:${p.openid}`, userId: id });
    // The demo's people have read and agreed to the guide in force, so a walkthrough starts on 首页; a member who
    // signs in anew (or after a new version) is asked (issue 24).
    await saveConsent(id, PRIVACY_VERSION, 'agree', now);
    for (const orgId of orgPath) memberCounts.set(orgId, (memberCounts.get(orgId) ?? 0) + 1);
    userIds.push(id);
  }
  await Promise.all([...memberCounts].map(([id, n]) => OrgModel.updateOne({ _id: id }, { $set: { memberCount: n } })));

  const awards: AwardInput[] = [];
  const totalWeight = EARNINGS.reduce((s, e) => s + e.weight, 0);
  userIds.forEach((userId, index) => {
    const activity = index < 4 ? 0.6 : 0.15 + random() * 0.5;
    for (let day = 20; day >= 0; day--) {
      // The four named demo members earn something today, so 本月 is never empty (a first of the month included).
      if (random() > activity && !(day === 0 && index < 4)) continue;
      let pick = random() * totalWeight;
      const earning = EARNINGS.find((e) => (pick -= e.weight) < 0) ?? EARNINGS[0]!;
      const [lo, hi] = earning.points;
      // Up to 8 hours before this time of day; today's entries stay within today (Shanghai).
      const earlier =
        day === 0 ? Math.min(8 * 3600 * 1000, now.getTime() - shanghaiInstant(dayKey(now)).getTime()) : 8 * 3600 * 1000;
      const at = new Date(now.getTime() - day * 24 * 3600 * 1000 - Math.floor(random() * earlier));
      const ref = `demo-${index}-${day}`;
      awards.push({
        userId,
        reason: earning.reason,
        points: lo + Math.floor(random() * (hi - lo + 1)),
        refType: 'demo',
        refId: ref,
        idempotencyKey: `demo|${ref}`,
        at,
      });
    }
  });
  // History is written straight into the ledger and the derived views rebuilt from it in bulk (what
  // `npm run points:rebuild` does): the same result as paying each award live, in seconds instead of a minute.
  const paths = new Map(people.map((p, i) => [userIds[i]!, orgs.get(p.branch)!]));
  await LedgerModel.insertMany(
    awards.map((a) => {
      const branch = paths.get(a.userId)!;
      return {
        _id: a.idempotencyKey,
        userId: a.userId,
        delta: a.points,
        asked: a.points,
        reason: a.reason,
        refType: a.refType,
        refId: a.refId,
        at: a.at,
        periods: periodIds(a.at!),
        scopes: [...branch.path, branch.id],
      };
    }),
  );
  // Half a year before that, for the 数据看板's trend lines (issue 18).
  const members = people.map((p, i) => {
    const branch = orgs.get(p.branch)!;
    // Everyone the demo posts as a cadre (seedDemoCheckins) checks in through the history.
    const cadre = p.roles.includes('cadre') || DEMO_CADRE_OPENIDS.includes(p.openid);
    return { userId: userIds[i]!, scopes: [...branch.path, branch.id], cadre };
  });
  const history = demoHistory(members, now, random);
  await LedgerModel.insertMany(history);
  await demoHistoryActivities(history);
  await rebuildPoints();
  await seedDemoCheckins(now);
  await seedDemoServices();
  await seedDemoCommitments();
  await seedDemoActivities(now);
  await seedDemoInspections(now);
  await rebuildDashboard();
  await seedDemoStudy(now);
  return {
    orgs: ORGS.length,
    members: people.length,
    questions: bank.imported,
    awards: awards.length,
    ms: Date.now() - started,
  };
}

/** Seeds only an empty database: a real county's data is never touched. */
export async function seedDemoCountyIfEmpty(): Promise<DemoSummary | null> {
  if ((await OrgModel.estimatedDocumentCount()) > 0) return null;
  return seedDemoCounty();
}

/** `npm run seed`: wipes the database and loads the demo county again. */
export async function reseedDemoCounty(): Promise<DemoSummary> {
  await mongoose.connection.dropDatabase();
  await ensureIndexes();
  return seedDemoCounty();
}
