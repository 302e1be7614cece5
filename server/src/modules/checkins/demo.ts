/**
 * 驻村考勤 in the demo county: the demo cadre (赵驻村, 青山村) and two more members posted to 竹林村 and 溪口村
 * check in on the working days of the last two weeks, through the real service (so points, flags and the month
 * documents are what live use would give). Today is left empty for the demo cadre to try.
 */
import { EARTH_RADIUS_M, dayKey, shanghaiInstant, type CheckinBody, type LatLng } from '@pioneer/shared';
import { OrgModel } from '../orgs/orgs.model';
import { LoginModel, UserModel } from '../users/users.model';
import { loadSessionUser } from '../users/users.service';
import { checkIn } from './checkins.service';
import { flushMonthLines } from './month-lines';

const DAY_MS = 24 * 3600 * 1000;

/** `openid` -> the village (by name) they are posted to. demo-m01 / demo-m02 sit in 竹林村 / 溪口村's branches. */
const CADRES: { openid: string; village: string; skip: number[]; awayDay?: number }[] = [
  { openid: 'demo-cadre', village: '青山村', skip: [6], awayDay: 3 },
  { openid: 'demo-m01', village: '竹林村', skip: [2, 9] },
  { openid: 'demo-m02', village: '溪口村', skip: [4, 5, 11] },
];
/** Who the demo posts as cadres (the 数据看板's history has them check in too). */
export const DEMO_CADRE_OPENIDS: readonly string[] = CADRES.map((c) => c.openid);

function offset(centre: LatLng, northM: number, eastM: number): LatLng {
  const degPerM = 180 / (Math.PI * EARTH_RADIUS_M);
  return {
    lat: centre.lat + northM * degPerM,
    lng: centre.lng + (eastM * degPerM) / Math.cos((centre.lat * Math.PI) / 180),
  };
}

/** 5 January of this year, or two weeks before `now` when that is earlier (the seeded check-ins start then). */
function postedSinceFor(now: Date): string {
  const jan5 = `${dayKey(now).slice(0, 4)}-01-05`;
  const twoWeeks = dayKey(now.getTime() - 14 * DAY_MS);
  return twoWeeks < jan5 ? twoWeeks : jan5;
}

/** Shanghai weekday of a day key, 0 = Sunday. */
const weekday = (day: string) => shanghaiInstant(day, '12:00:00').getUTCDay();

async function seedCadre(c: (typeof CADRES)[number], index: number, now: Date): Promise<number> {
  const login = await LoginModel.findById(`wx:${c.openid}`).lean();
  // Deliberate scan: a one-off seed over the demo county's few orgs.
  const village = await OrgModel.findOne({ name: c.village, type: 'village' }).lean();
  if (!login || !village?.fence) return 0;
  await UserModel.updateOne(
    { _id: login.userId },
    // Posted on 5 January (or two weeks ago early in a year): the calendar shows the days before as not owed
    // (issue 15), not as 缺勤 — in 2026 that includes 4 January, a 调休 working Sunday.
    { $addToSet: { roles: 'cadre' }, $set: { postedVillageId: village._id, postedSince: postedSinceFor(now) } },
  );
  const actor = (await loadSessionUser(login.userId))!;
  const centre = { lat: village.fence.lat!, lng: village.fence.lng! };
  let count = 0;
  // In day order: the speed and same-coordinates flags compare with earlier check-ins.
  for (let back = 14; back >= 1; back--) {
    const day = dayKey(now.getTime() - back * DAY_MS);
    const away = back === c.awayDay;
    // Working days only, except the one 外勤 day left pending for the secretary to review.
    if (!away && (weekday(day) === 0 || weekday(day) === 6 || c.skip.includes(back))) continue;
    const minute = (back * 7 + index * 13) % 50;
    const at = shanghaiInstant(day, `08:${String(minute + 10).padStart(2, '0')}:00`);
    const where = away ? offset(centre, 2600, 900) : offset(centre, ((back * 37) % 120) - 60, ((back * 53) % 140) - 70);
    const body: CheckinBody = {
      ...where,
      accuracy: 15 + (back % 5) * 5,
      coordType: 'gcj02',
      reason: away ? '到镇里参加防汛工作会议' : undefined,
    };
    await checkIn(actor, body, { now: at });
    count++;
  }
  return count;
}

/** Returns how many check-ins it recorded. The cadres run side by side; each one's days in order. */
export async function seedDemoCheckins(now = new Date()): Promise<number> {
  const counts = await Promise.all(CADRES.map((c, i) => seedCadre(c, i, now)));
  // The valid check-ins' month lines are written off the request path (month-lines.ts): stored before the job ends.
  await flushMonthLines();
  return counts.reduce((a, b) => a + b, 0);
}
