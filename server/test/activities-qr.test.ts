/**
 * The QR image on the secretary's screen and the place fence of an activity: what a phone's camera reads off the
 * PNG is exactly the token, and it signs a member in; a publish with the village's fence makes location sign-in work.
 */
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { gcj02ToWgs84, type Activity, type Attendance, type QrReply } from '@pioneer/shared';
import { LedgerModel } from '../src/modules/points/points.model';
import { ActivityModel } from '../src/modules/activities/activities.model';
import { startCountyApp, type TestApp } from './support/harness';
import { buildMember, buildSecretary, type County } from './support/factories';
import { client } from './support/client';
import { setSharedViewMs, sharedViewMs } from '../src/db/shared-view';

let t: TestApp;
let county: County;
let secretary: { id: string };
let secretaryB: { id: string };
const members: { id: string }[] = [];
const as = (id: string) => client(t, id, '/api/v1/activities');
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
/** The village fence of buildCounty's 甲村 (GCJ-02). */
const villageFence = { lat: 30.5447, lng: 119.9752, radiusM: 500 };

async function create(body: Record<string, unknown> = {}, by = secretary.id) {
  return as(by).post('', {
    type: 'theme_day',
    title: '主题党日',
    startsAt: minutesAgo(5),
    endsAt: minutesAgo(-60),
    ...body,
  });
}

/** What a camera would read: the PNG decoded to pixels, then the QR decoded from the pixels. */
function readQr(dataUrl: string): { text: string; width: number; height: number } {
  const png = PNG.sync.read(Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ''), 'base64'));
  const found = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  if (!found) throw new Error('no QR code in the image');
  return { text: found.data, width: png.width, height: png.height };
}

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  secretary = await buildSecretary(county.branchA, '甲书记');
  secretaryB = await buildSecretary(county.branchB, '乙书记');
  for (let i = 0; i < 3; i += 1) members.push(await buildMember({ branch: county.branchA, name: `甲党员${i}` }));
});
afterAll(() => t.close());

describe('the QR image', () => {
  test('when the secretary asks for the QR, then the PNG decodes to exactly the token, which signs a member in once', async () => {
    const a = (await create()).body as Activity;
    const res = await as(secretary.id).get(`/${a.id}/qr`);
    expect(res.status).toBe(200);
    const reply = res.body as QrReply;
    expect(reply.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const read = readQr(reply.qrDataUrl);
    expect(read.text).toBe(reply.token);
    expect(read.width).toBeGreaterThanOrEqual(400);
    expect(read.height).toBe(read.width);

    const signin = await as(members[0]!.id).post(`/${a.id}/signin`, { token: read.text });
    expect(signin.status).toBe(201);
    expect(signin.body.pointsAwarded).toBe(3);
    const att = (await as(secretary.id).get(`/${a.id}/attendance`)).body as Attendance;
    expect(att.present.map((p) => [p.userId, p.method])).toEqual([[members[0]!.id, 'qr']]);
    expect(await LedgerModel.countDocuments({ userId: members[0]!.id, refId: a.id })).toBe(1);
  });

  test('when another activity asks, then its image carries its own token, which does not sign in to the first', async () => {
    const a = (await create()).body as Activity;
    const b = (await create()).body as Activity;
    const qrB = (await as(secretary.id).get(`/${b.id}/qr`)).body as QrReply;
    const text = readQr(qrB.qrDataUrl).text;
    expect(text).toBe(qrB.token);
    const wrong = await as(members[1]!.id).post(`/${a.id}/signin`, { token: text });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('TOKEN_EXPIRED');
  });

  test('when a secretary of another branch asks, then 403 and no image', async () => {
    const a = (await create()).body as Activity;
    const res = await as(secretaryB.id).get(`/${a.id}/qr`);
    expect(res.status).toBe(403);
    expect(res.body.qrDataUrl).toBeUndefined();
  });
});

describe('the place fence', () => {
  test('when published with the village fence, then a member inside (browser WGS-84) signs in by location and one outside gets 422', async () => {
    const res = await create({ place: { name: '甲村', fence: villageFence } });
    expect(res.status).toBe(201);
    const a = res.body as Activity;
    expect(a.place).toEqual({ name: '甲村', fence: villageFence });
    expect((await ActivityModel.findById(a.id).lean())!.place).toEqual({ name: '甲村', fence: villageFence });

    const far = gcj02ToWgs84({ lat: villageFence.lat + 0.01, lng: villageFence.lng });
    const out = await as(members[2]!.id).post(`/${a.id}/signin`, { ...far, accuracy: 30, coordType: 'wgs84' });
    expect(out.status).toBe(422);
    expect(out.body.error.code).toBe('OUT_OF_FENCE');

    const near = gcj02ToWgs84({ lat: villageFence.lat + 0.001, lng: villageFence.lng });
    const inside = await as(members[2]!.id).post(`/${a.id}/signin`, { ...near, accuracy: 30, coordType: 'wgs84' });
    expect(inside.status).toBe(201);
    const att = (await as(secretary.id).get(`/${a.id}/attendance`)).body as Attendance;
    expect(att.present.map((p) => [p.userId, p.method])).toEqual([[members[2]!.id, 'location']]);
  });

  test('when published without a place, then location sign-in is refused with a clear message', async () => {
    const a = (await create()).body as Activity;
    const res = await as(members[1]!.id).post(`/${a.id}/signin`, { ...villageFence, accuracy: 10, coordType: 'gcj02' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('未设置签到范围');
  });

  test.each([
    ['a latitude past 90', { lat: 91, lng: 119.9752, radiusM: 500 }],
    ['a longitude past 180', { lat: 30.5, lng: 181, radiusM: 500 }],
    ['a radius under 50 m', { lat: 30.5, lng: 119.9, radiusM: 10 }],
    ['a radius over 20 km', { lat: 30.5, lng: 119.9, radiusM: 50_000 }],
    ['a fractional radius', { lat: 30.5, lng: 119.9, radiusM: 120.5 }],
    ['a missing longitude', { lat: 30.5, radiusM: 500 }],
    ['text for a number', { lat: '30.5', lng: 119.9, radiusM: 500 }],
    ['an operator for a number', { lat: { $gt: 0 }, lng: 119.9, radiusM: 500 }],
  ])('when the fence has %s, then 400 and nothing is stored', async (_what, fence) => {
    const before = await ActivityModel.countDocuments({});
    const res = await create({ place: { name: '村部', fence } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await ActivityModel.countDocuments({})).toBe(before);
  });

  test('when a patch gives a bad fence, then 400; a good one is stored; null removes it', async () => {
    // Edited before it starts (issue 15: a started activity's place is fixed).
    const a = (await create({ startsAt: minutesAgo(-60), endsAt: minutesAgo(-120) })).body as Activity;
    expect(
      (await as(secretary.id).patch(`/${a.id}`, { place: { name: '村部', fence: { lat: 95, lng: 1, radiusM: 100 } } }))
        .status,
    ).toBe(400);
    const ok = await as(secretary.id).patch(`/${a.id}`, { place: { name: '村部', fence: villageFence } });
    expect(ok.status).toBe(200);
    expect(ok.body.place.fence).toEqual(villageFence);
    const cleared = await as(secretary.id).patch(`/${a.id}`, { place: null });
    expect(cleared.body.place).toBeNull();
  });
});

describe('the activity a sign-in checks is a shared view (issue 17)', () => {
  let bound: number;
  beforeAll(() => {
    bound = sharedViewMs();
    setSharedViewMs(60_000);
  });
  afterAll(() => setSharedViewMs(bound));

  test('when the secretary closes sign-in, then the next scan is refused at once, with the view held', async () => {
    const a = (await create()).body as Activity;
    const qr = (await as(secretary.id).get(`/${a.id}/qr`)).body as QrReply;
    expect((await as(secretary.id).patch(`/${a.id}`, { status: 'closed' })).status).toBe(200);
    const res = await as(members[0]!.id).post(`/${a.id}/signin`, { token: qr.token });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ACTIVITY_NOT_OPEN');
  });

  test('when the secretary cancels, then a sign-in hears it is cancelled, with the view held', async () => {
    const a = (await create({ startsAt: minutesAgo(-60), endsAt: minutesAgo(-120) })).body as Activity;
    const early = await as(members[1]!.id).post(`/${a.id}/signin`, { token: 'x'.repeat(20) });
    expect(early.body.error.code).toBe('ACTIVITY_NOT_OPEN');
    expect((await as(secretary.id).post(`/${a.id}/cancel`, { reason: '时间冲突，改期' })).status).toBe(200);
    const res = await as(members[1]!.id).post(`/${a.id}/signin`, { token: 'x'.repeat(20) });
    expect(res.body.error).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: '活动已取消' });
  });

  test('when a member scans twice while the view still lists nobody, then one sign-in and one payment', async () => {
    const a = (await create()).body as Activity;
    const qr = (await as(secretary.id).get(`/${a.id}/qr`)).body as QrReply;
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => as(members[2]!.id).post(`/${a.id}/signin`, { token: qr.token })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const again = await as(members[2]!.id).post(`/${a.id}/signin`, { token: qr.token });
    expect(again.body.error.code).toBe('ALREADY_SIGNED_IN');
    expect(await LedgerModel.countDocuments({ userId: members[2]!.id, refId: a.id })).toBe(1);
  });
});
