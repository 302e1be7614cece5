import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildCounty, buildMember, buildSecretary, type County } from './support/factories';
import { png } from './support/images';
import { UploadModel, UploadQuotaModel } from '../src/modules/uploads/uploads.model';
import { sweepUploads } from '../src/modules/uploads/uploads.cleanup';
import { diskStore } from '../src/modules/uploads/storage';
import { UserModel } from '../src/modules/users/users.model';
import { awardPoints } from '../src/modules/points/points.service';

let t: TestApp;
let dataDir: string;
let county: County;
const FILES_PER_DAY = 3;
const auth = (id: string) => bearer(t, id);
const upload = (id: string, data = png(4, 4)) =>
  t.http().post('/api/v1/uploads').set(auth(id)).attach('file', data, { filename: 'a.png', contentType: 'image/png' });
const keyOf = (url: string) => url.replace('/api/v1/uploads/', '');
const fileOf = (url: string) => path.join(dataDir, 'uploads', keyOf(url));
const storedCount = () => {
  const root = path.join(dataDir, 'uploads');
  return existsSync(root) ? readdirSync(root).flatMap((m) => readdirSync(path.join(root, m))).length : 0;
};
const DAY_LATER = () => new Date(Date.now() + 25 * 3600 * 1000);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pioneer-quota-'));
  ({ t, county } = await startCountyApp({
    dataDir,
    uploadFilesPerDay: FILES_PER_DAY,
    uploadBytesPerDay: 50 * 1024 * 1024,
  }));
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('upload quota (issue 13, finding 11)', () => {
  test("when a member passes the day's count, then 429 UPLOAD_QUOTA_EXCEEDED in Chinese and nothing is stored; others are not affected", async () => {
    const m = await buildMember({ branch: county.branchA });
    for (let i = 0; i < FILES_PER_DAY; i++) expect((await upload(m.id)).status).toBe(201);
    const before = storedCount();
    const over = await upload(m.id);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('UPLOAD_QUOTA_EXCEEDED');
    expect(over.body.error.message).toContain('今天上传的照片已达上限');
    expect(storedCount()).toBe(before);
    expect(await UploadModel.countDocuments({ userId: m.id })).toBe(FILES_PER_DAY);
    const other = await buildMember({ branch: county.branchA });
    expect((await upload(other.id)).status).toBe(201);
  });

  test('when ten uploads race, then exactly the quota is accepted', async () => {
    const m = await buildMember({ branch: county.branchA });
    const replies = await Promise.all(Array.from({ length: 10 }, () => upload(m.id)));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(FILES_PER_DAY);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(10 - FILES_PER_DAY);
    expect(await UploadModel.countDocuments({ userId: m.id })).toBe(FILES_PER_DAY);
  });

  test("when the day's bytes would be passed, then the upload is refused and its size is not counted", async () => {
    const m = await buildMember({ branch: county.branchA });
    const image = png(64, 64, { noise: true });
    const small = t.httpWith({ dataDir, uploadBytesPerDay: Math.floor(image.length * 1.5), uploadFilesPerDay: 50 });
    expect(
      (
        await small
          .post('/api/v1/uploads')
          .set(auth(m.id))
          .attach('file', image, { filename: 'a.png', contentType: 'image/png' })
      ).status,
    ).toBe(201);
    const over = await small
      .post('/api/v1/uploads')
      .set(auth(m.id))
      .attach('file', image, { filename: 'a.png', contentType: 'image/png' });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('UPLOAD_QUOTA_EXCEEDED');
    const counted = (await UploadQuotaModel.find({ _id: { $regex: `^${m.id}\\|` } }).lean())[0]!;
    expect(counted).toMatchObject({ files: 1, bytes: image.length });
  });
});

describe('sweep of unused uploads (issue 13, finding 11)', () => {
  test('when an upload nothing used is a day old, then the sweep deletes file and document; one a document uses survives', async () => {
    const m = await buildMember({ branch: county.branchA });
    const unused = (await upload(m.id)).body.url as string;
    const used = (await upload(m.id)).body.url as string;
    const refused = (await upload(m.id)).body.url as string;
    // The identity photo uses one; a write that fails (a bad phone number) keeps nothing.
    expect(
      (
        await t
          .http()
          .patch('/api/v1/me')
          .set(auth(m.id))
          .send({ identity: { photoUrl: used } })
      ).status,
    ).toBe(200);
    expect(
      (
        await t
          .http()
          .patch('/api/v1/me')
          .set(auth(m.id))
          .send({ identity: { photoUrl: refused, contact: '123' } })
      ).status,
    ).toBe(400);
    const store = diskStore(path.join(dataDir, 'uploads'));

    // Not yet a day old: nothing goes.
    await sweepUploads(store, new Date());
    for (const url of [unused, used, refused]) expect(existsSync(fileOf(url))).toBe(true);

    const swept = await sweepUploads(store, DAY_LATER());
    expect(swept.files).toBeGreaterThanOrEqual(2);
    for (const url of [unused, refused]) {
      expect(existsSync(fileOf(url))).toBe(false);
      expect(await UploadModel.findById(keyOf(url)).lean()).toBeNull();
    }
    expect(existsSync(fileOf(used))).toBe(true);
    expect(await UploadModel.findById(keyOf(used)).lean()).toMatchObject({ state: 'used' });
    expect((await t.http().get(used)).status).toBe(200);
  });

  test('when many uploads are stale, then one run deletes at most batch x batches of them and the next run the rest', async () => {
    const m = await buildMember({ branch: county.branchB });
    const urls = [];
    for (let i = 0; i < 3; i++) urls.push((await upload(m.id)).body.url as string);
    // Uploads from before states existed (no `state`) may be in use: never swept.
    await UploadModel.updateOne({ _id: keyOf(urls[0]!) }, { $unset: { state: 1 } });
    const store = diskStore(path.join(dataDir, 'uploads'));
    const first = await sweepUploads(store, DAY_LATER(), 1, 1);
    expect(first.files).toBe(1);
    await sweepUploads(store, DAY_LATER());
    expect(await UploadModel.countDocuments({ userId: m.id })).toBe(1);
    expect(existsSync(fileOf(urls[0]!))).toBe(true);
  });
});

describe('pictures others see (issue 13, finding 9)', () => {
  test('when a member sets an avatar or identity photo on another site, then 400 in Chinese and nothing is written; an own upload is kept', async () => {
    const m = await buildMember({ branch: county.branchA });
    for (const body of [
      { avatarUrl: 'https://evil.example/p.gif' },
      { identity: { photoUrl: 'https://evil.example/p.gif' } },
      { identity: { photoUrl: '//evil.example/p.gif' } },
    ]) {
      const res = await t.http().patch('/api/v1/me').set(auth(m.id)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    const user = (await UserModel.findById(m.id).lean())!;
    expect(user.avatarUrl).toBe('');
    expect(user.identity?.photoUrl ?? null).toBeNull();
    const own = (await upload(m.id)).body.url as string;
    const ok = await t
      .http()
      .patch('/api/v1/me')
      .set(auth(m.id))
      .send({ avatarUrl: own, identity: { photoUrl: own } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ avatarUrl: own, identity: { photoUrl: own } });
    expect(await UploadModel.findById(keyOf(own)).lean()).toMatchObject({ state: 'used' });
  });

  test('when a picture on another site was stored before the rule, then boards and member lists show none', async () => {
    const c2 = await buildCounty();
    const m = await buildMember({ branch: c2.branchA });
    const secretary = await buildSecretary(c2.branchA);
    await UserModel.updateOne(
      { _id: m.id },
      { $set: { avatarUrl: 'https://evil.example/p.gif', 'identity.photoUrl': 'https://evil.example/q.gif' } },
    );
    await awardPoints({
      userId: m.id,
      reason: 'manual_adjustment',
      points: 5,
      refType: 'test',
      refId: 'pixel',
      idempotencyKey: `pixel|${m.id}`,
    });
    const board = await t
      .http()
      .get('/api/v1/leaderboards/members')
      .query({ scope: c2.branchA.id, period: 'month' })
      .set(auth(secretary.id));
    expect(board.status).toBe(200);
    expect(board.body.items.find((i: { userId: string }) => i.userId === m.id)).toMatchObject({ avatarUrl: '' });
    const members = await t.http().get(`/api/v1/orgs/${c2.branchA.id}/members`).set(auth(secretary.id));
    expect(members.status).toBe(200);
    expect(members.text).not.toContain('evil.example');
  });
});
