import mongoose from 'mongoose';
import { dayKey, gcj02ToWgs84, monthKey, type CheckinResult } from '@pioneer/shared';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember, buildSecretary, type County } from './support/factories';
import { FENCE, body, checkInOn, near, shanghaiMorning } from './support/checkin-helpers';
import { AttendanceMonthModel, CheckinModel, LastFixModel } from '../src/modules/checkins/checkins.model';
import { readMonth, readQueue } from '../src/modules/checkins/records';
import { setSharedViewMs, sharedViewMs } from '../src/db/shared-view';
import { checkIn } from '../src/modules/checkins/checkins.service';
import { loadSessionUser } from '../src/modules/users/users.service';
import { LedgerModel } from '../src/modules/points/points.model';
import { AuditModel } from '../src/modules/audit/audit.model';

let t: TestApp;
let county: County;
const auth = (id: string) => bearer(t, id);
const post = (userId: string, b: object) => t.http().post('/api/v1/checkins').set(auth(userId)).send(b);
const review = (userId: string, id: string, b: object) =>
  t.http().post(`/api/v1/checkins/${id}/review`).set(auth(userId)).send(b);
const cadre = () => buildMember({ branch: county.branchA, roles: ['member', 'cadre'], postedTo: county.villageA });
const monthDoc = (userId: string) => readMonth(userId, monthKey(new Date()));
const checkinPoints = async (userId: string) =>
  (await LedgerModel.find({ userId, reason: 'checkin' }).lean()).reduce((s, e) => s + e.delta, 0);

beforeAll(async () => ({ t, county } = await startCountyApp()));
afterAll(() => t.close());

describe('POST /checkins: the fence', () => {
  test('when a cadre is 499 m from the centre, then the check-in is valid and pays the day its point', async () => {
    const c = await cadre();
    const res = await post(c.id, body(near(499)));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      distanceM: 499,
      withinFence: true,
      status: 'valid',
      flags: [],
      day: dayKey(new Date()),
      pointsAwarded: 1,
    });
    expect(Math.abs(Date.parse(res.body.at) - Date.now())).toBeLessThan(10_000);
    const stored = await CheckinModel.findById(res.body.id).lean();
    expect(stored).toMatchObject({
      userId: c.id,
      status: 'valid',
      villageId: county.villageA.id,
      branchId: county.branchA.id,
    });
    expect(await checkinPoints(c.id)).toBe(1);
  });

  test('when a cadre is 501 m away without a reason, then 422 OUT_OF_FENCE says how far, and nothing is stored', async () => {
    const c = await cadre();
    const res = await post(c.id, body(near(501)));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('OUT_OF_FENCE');
    expect(res.body.error.details).toEqual({ distanceM: 501, radiusM: 500 });
    expect(res.body.error.message).toContain('501米');
    expect(await CheckinModel.countDocuments({ userId: c.id })).toBe(0);
    expect(await monthDoc(c.id)).toEqual({ days: {}, items: {} });
  });

  test('when a cadre is 3155 m away, then the message says 3.2公里 (the one distance formatter), not 3155米', async () => {
    const c = await cadre();
    const res = await post(c.id, body(near(3155)));
    expect(res.status).toBe(422);
    expect(res.body.error.details.distanceM).toBe(3155);
    expect(res.body.error.message).toContain('约3.2公里');
    expect(res.body.error.message).not.toMatch(/\d{4}米/);
  });

  test('when the same cadre gives a reason, then it is pending for the secretary, with no point yet', async () => {
    const c = await cadre();
    const res = await post(c.id, body(near(2000), { reason: '到镇里参加防汛会议' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending',
      withinFence: false,
      distanceM: 2000,
      reason: '到镇里参加防汛会议',
      pointsAwarded: 0,
    });
    expect((await monthDoc(c.id))?.days).toEqual({ [dayKey(new Date())]: { p: 1 } });
    expect(await checkinPoints(c.id)).toBe(0);
  });

  test('when a browser sends WGS-84 at the fence centre, then the server converts it and it is inside; sent as GCJ-02 it is outside', async () => {
    const c = await cadre();
    const wgs = gcj02ToWgs84(FENCE);
    const asGcj = await post(c.id, body(wgs));
    expect(asGcj.status).toBe(422);
    expect(asGcj.body.error.details.distanceM).toBeGreaterThan(500);
    const asWgs = await post(c.id, body(wgs, { coordType: 'wgs84' }));
    expect(asWgs.status).toBe(201);
    expect(asWgs.body).toMatchObject({ withinFence: true, distanceM: 0, status: 'valid' });
    const stored = await CheckinModel.findById(asWgs.body.id).lean();
    expect(stored).toMatchObject({ coordType: 'wgs84', rawLat: wgs.lat, rawLng: wgs.lng });
    expect(Math.abs(stored!.lat - FENCE.lat)).toBeLessThan(1e-6);
  });
});

describe('POST /checkins: who and what is refused', () => {
  test('when a member who is not a cadre checks in, then 403', async () => {
    const m = await buildMember({ branch: county.branchA });
    const res = await post(m.id, body(near(0)));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  test('when the village is held (issue 17) and an admin moves its fence, then the next check-in judges by the new fence', async () => {
    const before = sharedViewMs();
    setSharedViewMs(60_000);
    try {
      const own = await buildCounty();
      const admin = await buildAdmin({ of: own.county, branch: own.branchB });
      const c = await buildMember({ branch: own.branchA, roles: ['member', 'cadre'], postedTo: own.villageA });
      expect((await post(c.id, body(near(10)))).status).toBe(201);
      const moved = await t
        .http()
        .patch(`/api/v1/orgs/${own.villageA.id}`)
        .set(auth(admin.id))
        .send({ fence: { ...FENCE, lat: FENCE.lat + 0.03 } });
      expect(moved.status).toBe(200);
      const after = await post(c.id, body(near(20)));
      expect(after.status).toBe(422);
      expect(after.body.error.code).toBe('OUT_OF_FENCE');
    } finally {
      setSharedViewMs(before);
    }
  });

  test('when a cadre has no posted village, or one without a fence, then 403 and nothing is stored', async () => {
    const unposted = await buildMember({ branch: county.branchA, roles: ['member', 'cadre'] });
    const unfenced = await buildMember({
      branch: county.branchB,
      roles: ['member', 'cadre'],
      postedTo: county.villageB,
    });
    for (const id of [unposted.id, unfenced.id]) {
      const res = await post(id, body(near(0)));
      expect(res.status).toBe(403);
      expect(await CheckinModel.countDocuments({ userId: id })).toBe(0);
    }
    expect((await post(unfenced.id, body(near(0)))).body.error.message).toContain('乙村');
  });

  test('when the accuracy is worse than 300 m, then 422 LOCATION_INACCURATE; exactly 300 m is accepted', async () => {
    const c = await cadre();
    const res = await post(c.id, body(near(0), { accuracy: 301 }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('LOCATION_INACCURATE');
    expect((await post(c.id, body(near(0), { accuracy: 300 }))).status).toBe(201);
  });

  test('when coordinates are invalid, then 400 VALIDATION_FAILED', async () => {
    const c = await cadre();
    const bad = [
      { lat: 91, lng: 120 },
      { lat: 30, lng: 180.5 },
      { lat: '30.5', lng: 120 },
      { lat: 0, lng: 0 },
      { lat: null, lng: 120 },
      { lat: { $gt: 0 }, lng: 120 },
    ];
    for (const p of bad) {
      const res = await post(c.id, { accuracy: 20, coordType: 'gcj02', ...p });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await post(c.id, { ...near(0), accuracy: 20, coordType: 'bd09' })).status).toBe(400);
    expect((await post(c.id, { ...near(0), coordType: 'gcj02' })).status).toBe(400);
  });
});

describe('POST /checkins: suspicion flags are stored, not rejections', () => {
  test('when the accuracy is reported as 0, then the check-in is valid and flagged zero_accuracy', async () => {
    const c = await cadre();
    const res = await post(c.id, body(near(10), { accuracy: 0 }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'valid', flags: ['zero_accuracy'] });
    expect((await monthDoc(c.id))?.days[dayKey(new Date())]).toEqual({ v: 1, f: 1 });
  });

  test('when a cadre checks in 30 km away seconds after checking in at the village, then it is flagged too_fast', async () => {
    const c = await cadre();
    expect((await post(c.id, body(near(0)))).body.flags).toEqual([]);
    const res = await post(c.id, body(near(30_000), { reason: '县里开会' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', flags: ['too_fast'] });
    expect((await CheckinModel.findById(res.body.id).lean())?.flags).toEqual(['too_fast']);
  });

  test('when an older fix arrives late from the offline queue, then the newest fix stays the reference for the speed flag', async () => {
    const c = await cadre();
    expect((await post(c.id, body(near(0)))).body.flags).toEqual([]);
    // Taken 20 minutes ago 60 km away, sent now: too fast against the newer fix, and kept out of the reference.
    const capturedAt = new Date(Date.now() - 20 * 60_000).toISOString();
    const late = await post(c.id, body(near(60_000), { capturedAt, reason: '县里开会' }));
    expect(late.body.flags).toEqual(expect.arrayContaining(['too_fast', 'late_upload']));
    expect((await post(c.id, body(near(20)))).body.flags).toEqual([]);
    const month = (await AttendanceMonthModel.collection.findOne({ _id: `${c.id}|${monthKey(new Date())}` as never }))!;
    expect(Date.parse(String(month.fix).split('|')[0]!)).toBeGreaterThan(Date.parse(capturedAt));
  });

  test('when the last fix was stored before the one-field form, then it is still the reference and a late older fix does not replace it', async () => {
    const c = await cadre();
    await LastFixModel.collection.insertOne({
      _id: c.id,
      at: new Date(),
      lat: near(0).lat,
      lng: near(0).lng,
      accuracy: 10,
    } as never);
    const capturedAt = new Date(Date.now() - 20 * 60_000).toISOString();
    expect((await post(c.id, body(near(60_000), { capturedAt, reason: '县里开会' }))).body.flags).toContain('too_fast');
    expect((await post(c.id, body(near(20)))).body.flags).toEqual([]);
  });

  test('when the move since yesterday is slow, or within the two fixes accuracy, then there is no speed flag', async () => {
    const c = await cadre();
    await checkInOn(c.id, new Date(Date.now() - 24 * 3600 * 1000), body(near(0, 5)));
    expect((await post(c.id, body(near(400), { accuracy: 100 }))).body.flags).toEqual([]);
    // 400 m -> 300 m is 100 m in a second: inside the 100 m + 100 m accuracy circles, so not travel.
    expect((await post(c.id, body(near(300), { accuracy: 100 }))).body.flags).toEqual([]);
  });

  test('when the coordinates equal an earlier day’s to 6 decimals, then same_coords; the same day twice is not flagged', async () => {
    const c = await cadre();
    const spot = { lat: 30.5451234, lng: 119.9754321 };
    await checkInOn(c.id, new Date(Date.now() - 24 * 3600 * 1000), body(spot));
    const first = await post(c.id, body(spot));
    expect(first.body.flags).toEqual(['same_coords']);
    const other = await post(c.id, body({ lat: 30.545125, lng: 119.9754321 }));
    expect(other.body.flags).toEqual([]);
    const again = await post(c.id, body({ lat: 30.545125, lng: 119.9754321 }));
    expect(again.body.flags).toEqual([]);
  });

  test('when the month turns, then the last fix and the spots of last month still flag too_fast and same_coords', async () => {
    const c = await cadre();
    const spot = { lat: 30.5452345, lng: 119.9755432 };
    await checkInOn(c.id, new Date('2025-01-31T23:50:00+08:00'), body(spot));
    // 60 km 15 minutes later, in the next month's document: judged against January's fix.
    const far = await checkInOn(
      c.id,
      new Date('2025-02-01T00:05:00+08:00'),
      body(near(60_000), { reason: '县里开会' }),
    );
    expect(far.flags).toContain('too_fast');
    expect((await checkInOn(c.id, shanghaiMorning('2025-02-03'), body(spot))).flags).toEqual(['same_coords']);
  });

  test('when a fix taken before the month turned arrives after a newer one of the new month, then it is judged against the newer one', async () => {
    const c = await cadre();
    await checkInOn(c.id, new Date('2025-02-01T00:10:00+08:00'), body(near(0)));
    const capturedAt = '2025-01-31T23:55:00+08:00';
    const late = await checkInOn(
      c.id,
      new Date('2025-02-01T00:15:00+08:00'),
      body(near(60_000), { capturedAt, reason: '县里开会' }),
    );
    expect([late.day, late.flags]).toEqual(['2025-01-31', expect.arrayContaining(['too_fast', 'late_upload'])]);
  });

  test('when a spot was seen two months ago and the cadre checked in last month, then it is carried over and still flagged', async () => {
    const c = await cadre();
    const spot = { lat: 30.5453456, lng: 119.9756543 };
    await checkInOn(c.id, shanghaiMorning('2025-01-06'), body(spot));
    await checkInOn(c.id, shanghaiMorning('2025-02-10'), body(near(30)));
    expect((await checkInOn(c.id, shanghaiMorning('2025-03-05'), body(spot))).flags).toEqual(['same_coords']);
  });

  test('when a cadre has only a last-fix document from before the month documents kept it, then they are judged against it and its spots move on', async () => {
    const c = await cadre();
    const spot = { lat: 30.5454567, lng: 119.9757654 };
    const at = shanghaiMorning('2025-03-04');
    await LastFixModel.collection.insertOne({
      _id: c.id as never,
      at,
      fix: `${at.toISOString()}|${near(0).lat}|${near(0).lng}|10`,
      seen: { '30_545457,119_975765': '2025-01-06' },
    });
    const far = await checkInOn(c.id, new Date(at.getTime() + 15 * 60_000), body(near(60_000), { reason: '县里开会' }));
    expect(far.flags).toContain('too_fast');
    expect((await checkInOn(c.id, shanghaiMorning('2025-03-05'), body(spot))).flags).toEqual(['same_coords']);
    await LastFixModel.deleteOne({ _id: c.id });
    expect((await checkInOn(c.id, shanghaiMorning('2025-03-06'), body(spot))).flags).toEqual(['same_coords']);
  });

  test('when a fix from yesterday reaches the server after today’s at the same spot, then the spot counts from yesterday', async () => {
    const c = await cadre();
    const spot = { lat: 30.5452345, lng: 119.9753456 };
    expect((await post(c.id, body(spot))).body.flags).toEqual([]);
    const capturedAt = new Date(Date.now() - 26 * 3600 * 1000).toISOString();
    expect((await post(c.id, body(spot, { capturedAt }))).body.flags).not.toContain('same_coords');
    // The earliest day a spot was reported is kept whatever order the fixes came in ($min), so today's next one flags.
    expect((await post(c.id, body(spot))).body.flags).toEqual(['same_coords']);
  });
});

describe('POST /checkins: one point per present day', () => {
  test('when the calendar is read right after a valid check-in, then it lists it (its month line is written off the request)', async () => {
    const c = await cadre();
    // The line is written by a grouped write after the reply (issue 17): a read of the month here waits for it.
    const checkin = await checkIn((await loadSessionUser(c.id))!, body(near(5)));
    const month = await readMonth(c.id, monthKey(new Date()));
    expect(Object.keys(month.items)).toEqual([checkin.id]);
    expect(month.days[dayKey(new Date())]).toEqual({ v: 1 });
  });

  test('when a cadre checks in three times in a day, then all are recorded and one point is paid', async () => {
    const c = await cadre();
    const paid: number[] = [];
    for (const m of [0, 20, 40]) paid.push((await post(c.id, body(near(m)))).body.pointsAwarded);
    expect(paid).toEqual([1, 0, 0]);
    expect(await checkinPoints(c.id)).toBe(1);
    expect(await LedgerModel.countDocuments({ userId: c.id })).toBe(1);
    expect((await monthDoc(c.id))?.days[dayKey(new Date())]).toEqual({ v: 3 });
  });

  test('when 10 check-ins arrive at once, then all 10 are recorded and exactly one point is paid', async () => {
    const c = await cadre();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => post(c.id, body(near(i * 3)))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(results.reduce((s, r) => s + (r.body as CheckinResult).pointsAwarded, 0)).toBe(1);
    expect(await checkinPoints(c.id)).toBe(1);
    expect(await CheckinModel.countDocuments({ userId: c.id })).toBe(10);
    expect((await monthDoc(c.id))?.days[dayKey(new Date())].v).toBe(10);
    const me = await t.http().get('/api/v1/me').set(auth(c.id));
    expect(me.body.points.all).toBe(1);
  });

  test('when the app retries with the same Idempotency-Key, then it gets the same check-in back, recorded once', async () => {
    const c = await cadre();
    const send = () => post(c.id, body(near(5))).set('Idempotency-Key', 'retry-abc-1');
    const [a, b] = await Promise.all([send(), send()]);
    const again = await send();
    expect(new Set([a.body.id, b.body.id, again.body.id]).size).toBe(1);
    expect(await CheckinModel.countDocuments({ userId: c.id })).toBe(1);
    expect((await monthDoc(c.id))?.days[dayKey(new Date())]).toEqual({ v: 1 });
  });
});

describe('POST /checkins/:id/review', () => {
  async function pendingOf(c: { id: string }, reason = '入户走访') {
    const res = await post(c.id, body(near(3000), { reason }));
    expect(res.body.status).toBe('pending');
    return res.body as CheckinResult;
  }
  let secretary: { id: string };
  let otherSecretary: { id: string };
  beforeAll(async () => {
    secretary = await buildSecretary(county.branchA, '甲书记');
    otherSecretary = await buildSecretary(county.branchA2);
  });

  test('when another branch’s secretary, a member, or an admin of another township reviews, then 403 and it stays pending', async () => {
    const c = await cadre();
    const p = await pendingOf(c);
    const member = await buildMember({ branch: county.branchA });
    const townAdmin = await buildAdmin({ of: county.townB, branch: county.branchB });
    for (const who of [otherSecretary.id, member.id, townAdmin.id]) {
      expect((await review(who, p.id, { decision: 'approve' })).status).toBe(403);
    }
    expect((await CheckinModel.findById(p.id).lean())?.status).toBe('pending');
  });

  test('when the branch secretary approves, then the day is present, its point is paid once, the list empties and it is audited', async () => {
    const c = await cadre();
    const p = await pendingOf(c);
    const list = await t.http().get('/api/v1/checkins/pending').set(auth(secretary.id));
    expect(list.body.items.find((i: { id: string }) => i.id === p.id)).toMatchObject({
      userId: c.id,
      reason: '入户走访',
      distanceM: 3000,
      villageName: '甲村',
    });
    expect(
      (await t.http().get('/api/v1/checkins/pending').set(auth(otherSecretary.id))).body.items.some(
        (i: { id: string }) => i.id === p.id,
      ),
    ).toBe(false);

    const res = await review(secretary.id, p.id, { decision: 'approve', comment: '情况属实' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'approved',
      pointsAwarded: 1,
      review: { decision: 'approve', comment: '情况属实', byName: '甲书记' },
    });
    expect((await review(secretary.id, p.id, { decision: 'approve' })).status).toBe(422);
    expect(await checkinPoints(c.id)).toBe(1);
    expect((await monthDoc(c.id))?.days[dayKey(new Date())]).toEqual({ v: 1 });
    const mine = await t.http().get('/api/v1/checkins/mine').set(auth(c.id));
    expect(mine.body.days.find((d: { day: string }) => d.day === dayKey(new Date())).status).toBe('present');
    expect(mine.body.items[0]).toMatchObject({ id: p.id, status: 'approved' });
    expect(
      (await t.http().get('/api/v1/checkins/pending').set(auth(secretary.id))).body.items.some(
        (i: { id: string }) => i.id === p.id,
      ),
    ).toBe(false);
    expect(await AuditModel.findOne({ targetType: 'checkin', targetId: p.id }).lean()).toMatchObject({
      actorId: secretary.id,
      action: 'checkin.approve',
    });
  });

  test('when the day already paid through a valid check-in, then approving pays nothing more', async () => {
    const c = await cadre();
    await post(c.id, body(near(0)));
    const p = await pendingOf(c);
    const res = await review(secretary.id, p.id, { decision: 'approve' });
    expect(res.body.pointsAwarded).toBe(0);
    expect(await checkinPoints(c.id)).toBe(1);
  });

  test('when two reviews race, then one decides and the other is told it was already reviewed', async () => {
    const c = await cadre();
    const p = await pendingOf(c);
    const admin = await buildAdmin({ of: county.county, branch: county.branchB });
    const results = await Promise.all([
      review(secretary.id, p.id, { decision: 'approve' }),
      review(admin.id, p.id, { decision: 'reject' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(await AuditModel.countDocuments({ targetType: 'checkin', targetId: p.id })).toBe(1);
  });

  test('when the secretary rejects, then the day stays absent and nothing is paid', async () => {
    const c = await cadre();
    const p = await pendingOf(c);
    const res = await review(secretary.id, p.id, { decision: 'reject', comment: '理由不充分' });
    expect(res.body).toMatchObject({ status: 'rejected', pointsAwarded: 0 });
    const mine = await t.http().get('/api/v1/checkins/mine').set(auth(c.id));
    expect(mine.body.days.find((d: { day: string }) => d.day === dayKey(new Date())).status).toBe('absent');
    expect(mine.body.presentDays).toBe(0);
    expect(await checkinPoints(c.id)).toBe(0);
  });

  test('when a secretary who is also a cadre reviews their own check-in, then 403', async () => {
    const both = await buildMember({
      branch: county.branchA,
      roles: ['member', 'cadre', 'secretary'],
      postedTo: county.villageA,
    });
    const p = await pendingOf(both);
    expect((await review(both.id, p.id, { decision: 'approve' })).status).toBe(403);
  });
});

describe('POST /checkins: reads on the path (issue 17)', () => {
  test('when the org tree is unchanged, then an out-of-fence check-in queues for review without reading an org', async () => {
    const before = sharedViewMs();
    setSharedViewMs(60_000);
    const client = mongoose.connection.getClient();
    const orgReads: string[] = [];
    const watch = (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'find' && e.command.find === 'orgs') orgReads.push(JSON.stringify(e.command.filter));
    };
    try {
      const c = await cadre();
      // The first one may load the held org tree; the second reads no org (village, branch: held).
      expect((await post(c.id, body(near(3000), { reason: '入户走访' }))).body.status).toBe('pending');
      client.on('commandStarted', watch);
      const second = await post(c.id, body(near(3100), { reason: '入户走访' }));
      expect(second.body.status).toBe('pending');
      expect(orgReads).toEqual([]);
      const entry = (await readQueue(county.branchA.id)).find((i) => i.id === second.body.id);
      expect(entry).toMatchObject({ branchName: county.branchA.name, villageName: county.villageA.name });
    } finally {
      client.off('commandStarted', watch);
      setSharedViewMs(before);
    }
  });
});
