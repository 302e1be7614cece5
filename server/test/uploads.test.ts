import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UPLOAD_URL_RE } from '@pioneer/shared';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildCounty, buildMember } from './support/factories';
import { jpeg, png, webp } from './support/images';
import { UploadModel } from '../src/modules/uploads/uploads.model';

let t: TestApp;
let dataDir: string;
let memberId: string;
const auth = () => bearer(t, memberId);
const upload = (data: Buffer, filename: string, contentType: string) =>
  t.http().post('/api/v1/uploads').set(auth()).attach('file', data, { filename, contentType });

/** Every file the store holds, as `<month>/<name>`. */
function storedFiles(): string[] {
  const root = path.join(dataDir, 'uploads');
  try {
    return readdirSync(root).flatMap((month) => readdirSync(path.join(root, month)).map((f) => `${month}/${f}`));
  } catch {
    return [];
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'pioneer-uploads-'));
  t = await startTestApp({ dataDir });
  const county = await buildCounty();
  memberId = (await buildMember({ branch: county.branchA })).id;
});
afterAll(async () => {
  await t.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('uploads', () => {
  test('when a member uploads a real PNG, then it is stored under an unguessable name and served back byte for byte', async () => {
    const image = png(16, 16);
    const res = await upload(image, '现场.png', 'image/png');
    expect(res.status).toBe(201);
    expect(res.body.url).toMatch(UPLOAD_URL_RE);
    expect(res.body.url).toMatch(/\.png$/);
    // Served without a session (an <img> cannot send one): the 128-bit random name is the lock.
    const back = await t
      .http()
      .get(res.body.url)
      .buffer(true)
      .parse((r, cb) => {
        const parts: Buffer[] = [];
        r.on('data', (c: Buffer) => parts.push(c));
        r.on('end', () => cb(null, Buffer.concat(parts)));
      });
    expect(back.status).toBe(200);
    expect(back.headers['content-type']).toBe('image/png');
    expect(back.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(back.body as Buffer, image)).toBe(0);
    const key = res.body.url.replace('/api/v1/uploads/', '');
    expect(await UploadModel.findById(key).lean()).toMatchObject({
      userId: memberId,
      type: 'image/png',
      bytes: image.length,
    });
  });

  test('when a JPEG or WebP arrives under a misleading name and type, then the bytes decide and it is accepted', async () => {
    const j = await upload(jpeg(), 'notes.txt', 'text/plain');
    expect(j.status).toBe(201);
    expect(j.body.url).toMatch(/\.jpg$/);
    const w = await upload(webp(), 'photo.png', 'image/png');
    expect(w.status).toBe(201);
    expect(w.body.url).toMatch(/\.webp$/);
  });

  test('when a text file is renamed to .png, then 415 UNSUPPORTED_MEDIA_TYPE and nothing is stored', async () => {
    const before = storedFiles().length;
    const res = await upload(Buffer.from('这不是图片，只是一段文字。\n'.repeat(20)), 'photo.png', 'image/png');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const gif = await upload(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'a.gif', 'image/gif');
    expect(gif.status).toBe(415);
    expect(storedFiles()).toHaveLength(before);
  });

  test('when a 6 MB image arrives, then 413 PAYLOAD_TOO_LARGE and nothing is stored', async () => {
    const before = storedFiles().length;
    const big = png(1500, 1500, { noise: true });
    expect(big.length).toBeGreaterThan(6 * 1024 * 1024);
    const res = await upload(big, 'big.png', 'image/png');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(storedFiles()).toHaveLength(before);
  });

  test('when the request is not a proper upload, then a clear refusal: no session 401, no file 400', async () => {
    const anon = await t
      .http()
      .post('/api/v1/uploads')
      .attach('file', png(2, 2), { filename: 'a.png', contentType: 'image/png' });
    expect(anon.status).toBe(401);
    const none = await t.http().post('/api/v1/uploads').set(auth()).field('note', 'x');
    expect(none.status).toBe(400);
    const wrongField = await t
      .http()
      .post('/api/v1/uploads')
      .set(auth())
      .attach('photo', png(2, 2), { filename: 'a.png', contentType: 'image/png' });
    expect(wrongField.status).toBe(400);
  });

  test('when a stored name is guessed or a path escapes, then 404 or 400 and nothing is read', async () => {
    expect((await t.http().get('/api/v1/uploads/2026-01/0123456789abcdef0123456789abcdef.png')).status).toBe(404);
    expect((await t.http().get('/api/v1/uploads/2026-01/..%2F..%2Fetc%2Fpasswd')).status).toBe(400);
    expect((await t.http().get('/api/v1/uploads/..%2F..%2F/config.png')).status).toBe(400);
  });
});
