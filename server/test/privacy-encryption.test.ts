import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import type { MemberRowPage } from '@pioneer/shared';
import { loadConfig } from '../../config';
import { sealPersonalData } from '../src/jobs/seal-personal-data';
import {
  keyIdOf,
  keyringOf,
  phoneLookup,
  seal,
  unseal,
  useKeyring,
  type Keyring,
} from '../src/modules/privacy/field-crypto';
import { matchByWechatPhone } from '../src/modules/roster/binding.service';
import { RosterLockModel, RosterRowModel, rosterKey } from '../src/modules/roster/roster.model';
import { UserModel } from '../src/modules/users/users.model';
import { startCountyApp, type TestApp } from './support/harness';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { confirmAndWait, csv, dryRun } from './support/roster-helpers';
import { client } from './support/client';

let t: TestApp;
let c: County;
let admin: { id: string };
let secretary: { id: string };
const as = (id: string) => client(t, id);
const devRing = (): Keyring => keyringOf(loadConfig({ NODE_ENV: 'test' }));

beforeAll(async () => {
  ({ t, county: c } = await startCountyApp());
  admin = await buildAdmin({ of: c.county, branch: c.branchA });
  secretary = await buildSecretary(c.branchA);
});
afterAll(async () => {
  useKeyring(devRing());
  await t.close();
});

/** Every document of every collection, as the text a copy of the database would show. */
async function rawText(): Promise<string> {
  const db = mongoose.connection.db!;
  const parts: string[] = [];
  for (const info of await db.listCollections({}, { nameOnly: true }).toArray())
    parts.push(JSON.stringify(await db.collection(info.name).find({}).toArray()));
  return parts.join('\n');
}

/** Every file the embedded engine wrote (a SQLite file per database, its write-ahead log), as latin1 text. */
function rawFiles(): string {
  const dir = process.env.PIONEER_TEST_DATA_DIR;
  if (!dir || process.env.PIONEER_TEST_ENGINE !== 'ferretdb') return ''; // MONGODB_URI: not our files
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  expect(files.length).toBeGreaterThan(0);
  return files.map((f) => readFileSync(path.join(f.parentPath, f.name)).toString('latin1')).join('\n');
}

function expectNoClear(raw: string, phones: string[]): void {
  for (const p of phones) {
    expect(raw).not.toContain(p);
    // Nor the number without its prefix (split or reformatted somewhere).
    expect(raw).not.toContain(p.slice(3));
  }
}

const search = async (q: string) =>
  ((await as(admin.id).get(`/orgs/${c.county.id}/members`).query({ q })).body as MemberRowPage).items.map((m) => m.id);

describe('field encryption (issue 24)', () => {
  test('AES-256-GCM with a fresh IV per value, a key id, tamper-evident; the lookup key ignores formatting', () => {
    const a = seal('13812345678');
    const b = seal('13812345678');
    expect(a).toMatch(/^v1:dev:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(unseal(a)).toBe('13812345678');
    const parts = a.split(':');
    const flipped = Buffer.from(parts[4]!, 'base64');
    flipped[0] ^= 1;
    expect(() => unseal([...parts.slice(0, 4), flipped.toString('base64')].join(':'))).toThrow();
    expect(() => unseal(a.replace('v1:dev:', 'v1:gone:'))).toThrow(/data key "gone"/);
    expect(phoneLookup('+86 138-1234-5678')).toBe(phoneLookup('13812345678'));
    expect(phoneLookup('13812345678')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('personal data at rest (issue 24)', () => {
  const ROSTER = ['13877770001', '13877770002'];
  const TYPED = '13877770003';
  const OWN = '13966661234';
  const RESIDENT = '13755554321';
  const VOUCHED = '13644448888';

  test('after roster import, binding requests, an own phone and a wish, no collection holds a clear number; the API masks, the audited route opens', async () => {
    const token = t.tokenFor(admin.id);
    const dry = await dryRun(
      t.http(),
      token,
      csv(
        `周一,${ROSTER[0]},甲村党支部,正式党员,2001-07-01,,党员,`,
        `周二,${ROSTER[1]},甲村党支部,正式党员,,,党员,`,
        `周三,${TYPED},甲村党支部,正式党员,,,党员,`,
      ),
    );
    expect(dry.status).toBe(201);
    expect((await confirmAndWait(t.http(), token, dry.body.key)).state).toBe('done');
    // A stranger asks for the 周三 row by typed phone (a request kept for the secretary), another has a phone
    // WeChat vouched for (kept 10 minutes).
    const stranger = await buildMember({ branch: c.branchA });
    await UserModel.updateOne({ _id: stranger.id }, { $set: { orgId: null, orgPath: [] } });
    const claim = await as(stranger.id).post('/me/roster/claim', { phone: TYPED, name: '周三' });
    expect(claim.body).toMatchObject({ status: 'pending' });
    const other = await buildMember({ branch: c.branchA });
    await UserModel.updateOne({ _id: other.id }, { $set: { orgId: null, orgPath: [] } });
    expect((await matchByWechatPhone(other.id, VOUCHED)).phone).toBe('136****8888');
    const member = await buildMember({ branch: c.branchA, name: '郑党员' });
    expect((await as(member.id).patch('/me', { identity: { contact: OWN } })).status).toBe(200);
    const wish = await as(secretary.id).post('/wishes', {
      title: '修水管',
      residentName: '张大爷',
      residentContact: RESIDENT,
      orgId: c.branchA.id,
    });
    expect(wish.status).toBe(201);

    expectNoClear(await rawText(), [...ROSTER, TYPED, OWN, RESIDENT, VOUCHED]);
    // Nor do the engine's own files (the embedded engine's SQLite database and its write-ahead log).
    expectNoClear(rawFiles(), [...ROSTER, TYPED, OWN, RESIDENT, VOUCHED]);
    const stored = await UserModel.findById(member.id).lean();
    expect(stored!.identity).toMatchObject({ contact: expect.stringMatching(/^v1:dev:/), contactTail: '1234' });

    // Masked for others, whole for the owner and through the audited route.
    const bindList = await as(secretary.id).get(`/orgs/${c.branchA.id}/bind-requests`);
    expect(bindList.body).toEqual([expect.objectContaining({ name: '周三', phone: '138****0003' })]);
    expect((await as(member.id).get('/me')).body.identity.contact).toBe(OWN);
    const listed = await as(secretary.id).get(`/orgs/${c.branchA.id}/members`);
    expect(listed.text).not.toContain(OWN);
    expect(listed.text).toContain('139****1234');
    const full = await as(secretary.id).get(`/members/${member.id}/contact`);
    expect(full.body).toMatchObject({ contact: OWN });
    expect((await as(secretary.id).get(`/wishes/${wish.body.id}`)).body.residentContact).toBe('137****4321');
    const resident = await as(secretary.id).get(`/wishes/${wish.body.id}/contact`);
    expect(resident.body.residentContact).toBe(RESIDENT);

    // Search by phone tail reads the stored tail (4 digits or fewer) or opens the candidates (more).
    expect(await search('1234')).toEqual([member.id]);
    expect(await search('234')).toContain(member.id);
    expect(await search(OWN)).toEqual([member.id]);
    expect(await search('55551234')).toEqual([]);
    // The secretary confirms the typed-phone request: the row is found by its HMAC key and binds.
    const confirm = await as(secretary.id).post(`/orgs/${c.branchA.id}/bind-requests/${stranger.id}/confirm`);
    expect(confirm.status).toBe(200);
    expect((await RosterRowModel.findById(rosterKey(c.county.id, TYPED)).lean())!.boundAt).not.toBeNull();
    // The dry run's report still shows the admin the numbers they uploaded.
    const again = await as(admin.id).get(`/roster/imports/${dry.body.key}`);
    expect(again.status).toBe(200);
    expect(again.text).toContain(ROSTER[0]);
  });

  test('clear data from before encryption is sealed by the job in batches, locks and requests follow the re-keyed rows, a second run changes nothing', async () => {
    const db = mongoose.connection.db!;
    const PHONES = { bound: '13511110001', free: '13511110002', member: '13511110003', wish: '13511110004' };
    const boundUser = await buildMember({ branch: c.branchA, name: '老绑定' });
    const freeUser = await buildMember({ branch: c.branchA, name: '老未绑' });
    const plain = await buildMember({ branch: c.branchA, name: '老党员' });
    // As the database was before: numbers in clear, roster ids holding the phone.
    await UserModel.collection.updateOne({ _id: plain.id } as never, {
      $set: { identity: { contact: PHONES.member } },
    });
    const oldId = (p: string) => `roster|${c.county.id}|${p}`;
    const row = (p: string, userId: string, name: string, boundAt: Date | null) => ({
      _id: oldId(p),
      countyId: c.county.id,
      phone: p,
      userId,
      name,
      branchId: c.branchA.id,
      category: '正式党员',
      joinedAt: null,
      duty: '',
      role: 'member',
      villageId: null,
      hash: 'x',
      boundAt,
    });
    await db
      .collection('rosterrows')
      .insertMany([
        row(PHONES.bound, boundUser.id, '老绑定', new Date()),
        row(PHONES.free, freeUser.id, '老未绑', null),
      ] as never);
    await db.collection('rosterlocks').insertMany([
      { _id: `row|${oldId(PHONES.bound)}`, by: 'someone' },
      { _id: 'person|someone', by: oldId(PHONES.bound) },
    ] as never);
    await db.collection('rosterkeys').insertMany([
      { _id: 'phone|somebody', data: { phone: PHONES.free, at: Date.now() } },
      {
        _id: `bindq|${c.branchB.id}`,
        data: { somebody: { name: '老未绑', phone: PHONES.free, rosterId: oldId(PHONES.free), at: 'x' } },
      },
    ] as never);
    const wish = await as(secretary.id).post('/wishes', {
      title: '送报纸',
      residentName: '李奶奶',
      orgId: c.branchA.id,
    });
    await db.collection('wishes').updateOne({ _id: wish.body.id } as never, { $set: { residentContact: PHONES.wish } });
    await db.collection('audits').insertOne({
      _id: 'old-refusal',
      actorId: secretary.id,
      action: 'roster.bindRefused',
      targetType: 'user',
      targetId: 'somebody',
      details: { rosterId: oldId(PHONES.free) },
      at: new Date(),
    } as never);
    expect(await rawText()).toContain(PHONES.member);

    const first = await sealPersonalData(2, true);
    expect(first).toMatchObject({ skipped: false, rosterRows: 2, rosterLocks: 2, rosterKeys: 2, wishes: 1, audits: 1 });
    expect(first.users).toBeGreaterThanOrEqual(1);
    expectNoClear(await rawText(), Object.values(PHONES));

    const second = await sealPersonalData(2, true);
    expect(second).toMatchObject({ users: 0, rosterRows: 0, rosterLocks: 0, rosterKeys: 0, wishes: 0, audits: 0 });
    // Start-up skips the walk once the current keys sealed everything.
    expect((await sealPersonalData()).skipped).toBe(true);

    // The bound row keeps its lock under the new id: nobody binds it again.
    const newBound = rosterKey(c.county.id, PHONES.bound);
    expect(await RosterLockModel.findById(`row|${newBound}`).lean()).toMatchObject({ by: 'someone' });
    expect(await RosterLockModel.findById('person|someone').lean()).toMatchObject({ by: newBound });
    expect(await RosterRowModel.findById(oldId(PHONES.bound)).lean()).toBeNull();
    // The free row is found by phone again, by its HMAC key.
    const stranger = await buildMember({ branch: c.branchA });
    await UserModel.updateOne({ _id: stranger.id }, { $set: { orgId: null, orgPath: [] } });
    expect((await matchByWechatPhone(stranger.id, PHONES.free)).match).toMatchObject({ name: '老未绑' });
    // The API reads what the job sealed.
    const full = await as(secretary.id).get(`/members/${plain.id}/contact`);
    expect(full.body.contact).toBe(PHONES.member);
    expect(await search('0003')).toContain(plain.id);
    const resident = await as(secretary.id).get(`/wishes/${wish.body.id}/contact`);
    expect(resident.body.residentContact).toBe(PHONES.wish);
  });

  test('at its default batch the job seals a few hundred clear members without stalling the embedded engine', async () => {
    const db = mongoose.connection.db!;
    const base = await UserModel.collection.findOne({ _id: secretary.id } as never);
    await db.collection('users').insertMany(
      Array.from({ length: 240 }, (_, i) => ({
        ...base,
        _id: `clear-${String(i).padStart(3, '0')}`,
        identity: { contact: `1340000${String(i).padStart(4, '0')}` },
      })) as never,
    );
    const started = Date.now();
    expect((await sealPersonalData(undefined, true)).users).toBe(240);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(await rawText()).not.toContain('13400000239');
  }, 60_000);

  test('a rotation: with the new key first and the old one kept, the job re-seals every value; then the old key can go', async () => {
    const member = await buildMember({ branch: c.branchA, name: '轮换党员', contact: '13322220001' });
    const wish = await as(secretary.id).post('/wishes', {
      title: '修灯',
      residentName: '王大爷',
      residentContact: '13322220002',
      orgId: c.branchA.id,
    });
    const dev = devRing();
    const k2 = Buffer.alloc(32, 42);
    try {
      useKeyring({ ...dev, current: { id: 'k2', key: k2 }, byId: new Map([...dev.byId, ['k2', k2]]) });
      // Old values still read under the old key while the job runs.
      const before = await as(secretary.id).get(`/members/${member.id}/contact`);
      expect(before.body.contact).toBe('13322220001');
      const run = await sealPersonalData(3);
      expect(run.skipped).toBe(false);
      expect(run.users).toBeGreaterThanOrEqual(1);
      const raw = await rawText();
      const sealed = raw.match(/v1:[A-Za-z0-9_-]+:/g) ?? [];
      expect(sealed.length).toBeGreaterThan(3);
      expect(new Set(sealed)).toEqual(new Set(['v1:k2:']));
      expect(keyIdOf((await UserModel.findById(member.id).lean())!.identity!.contact)).toBe('k2');

      // The old key removed: everything still opens.
      useKeyring({ ...dev, current: { id: 'k2', key: k2 }, byId: new Map([['k2', k2]]) });
      const after = await as(secretary.id).get(`/members/${member.id}/contact`);
      expect(after.body.contact).toBe('13322220001');
      const resident = await as(secretary.id).get(`/wishes/${wish.body.id}/contact`);
      expect(resident.body.residentContact).toBe('13322220002');
    } finally {
      useKeyring(dev);
    }
  });
});
