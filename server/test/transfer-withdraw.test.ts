import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildMember, buildSecretary, type County } from './support/factories';
import { UserModel } from '../src/modules/users/users.model';
import { AuditModel } from '../src/modules/audit/audit.model';
import { PendingTransferModel, TransferModel } from '../src/modules/users/transfers.model';

/** 组织关系转接 withdrawn (撤回) by the sending side while it is pending (issue 14). */
let t: TestApp;
let county: County;
let admin: { id: string };
let secretaryA: { id: string };
let secretaryA2: { id: string };
const auth = (id: string) => bearer(t, id);
const start = async (userId: string) =>
  (await t.http().post('/api/v1/transfers').set(auth(secretaryA.id)).send({ userId, toOrgId: county.branchA2.id }))
    .body as { id: string };
const withdraw = (id: string, by: string) => t.http().post(`/api/v1/transfers/${id}/withdraw`).set(auth(by)).send({});

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  admin = await buildAdmin({ of: county.county, branch: county.branchB });
  secretaryA = await buildSecretary(county.branchA, '甲书记');
  secretaryA2 = await buildSecretary(county.branchA2, '甲二书记');
});
afterAll(() => t.close());

test('the sending secretary withdraws a pending transfer: the member stays, the slot is free, a second withdraw is refused', async () => {
  const m = await buildMember({ branch: county.branchA, name: '撤回者' });
  const tr = await start(m.id);
  // The receiving side cannot withdraw what it did not send.
  expect((await withdraw(tr.id, secretaryA2.id)).status).toBe(403);
  const res = await withdraw(tr.id, secretaryA.id);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ state: 'cancelled', decidedBy: secretaryA.id });
  expect((await UserModel.findById(m.id).lean())?.orgId).toBe(county.branchA.id);
  expect(await PendingTransferModel.findById(m.id).lean()).toBeNull();
  const again = await withdraw(tr.id, secretaryA.id);
  expect(again.status).toBe(422);
  expect(again.body.error.message).toBe('该转接已撤回，不能撤回');
  // Withdrawn is final: the receiving side can no longer accept it; a new transfer may start.
  expect((await t.http().post(`/api/v1/transfers/${tr.id}/accept`).set(auth(secretaryA2.id)).send({})).status).toBe(
    422,
  );
  expect((await UserModel.findById(m.id).lean())?.orgId).toBe(county.branchA.id);
  const list = await t.http().get('/api/v1/transfers').query({ org: county.branchA.id }).set(auth(secretaryA.id));
  expect(list.body.outgoing.map((x: { id: string }) => x.id)).not.toContain(tr.id);
  expect((await start(m.id)).id).toBeDefined();
  expect(await AuditModel.countDocuments({ action: 'transfer.cancel', targetId: m.id })).toBe(1);
});

test('an accepted transfer cannot be withdrawn (the member has moved)', async () => {
  const m = await buildMember({ branch: county.branchA, name: '已接收' });
  const tr = await start(m.id);
  expect((await t.http().post(`/api/v1/transfers/${tr.id}/accept`).set(auth(secretaryA2.id)).send({})).status).toBe(
    200,
  );
  const res = await withdraw(tr.id, admin.id);
  expect(res.status).toBe(422);
  expect(res.body.error.message).toBe('该转接已被接收，不能撤回');
  expect((await TransferModel.findById(tr.id).lean())?.state).toBe('accepted');
  expect((await UserModel.findById(m.id).lean())?.orgId).toBe(county.branchA2.id);
});

test('a withdraw racing an accept: exactly one of them wins', async () => {
  const m = await buildMember({ branch: county.branchA, name: '竞争者' });
  const tr = await start(m.id);
  const [w, a] = await Promise.all([
    withdraw(tr.id, secretaryA.id),
    t.http().post(`/api/v1/transfers/${tr.id}/accept`).set(auth(secretaryA2.id)).send({}),
  ]);
  expect([w.status, a.status].sort()).toEqual([200, 422]);
  const state = (await TransferModel.findById(tr.id).lean())?.state;
  expect((await UserModel.findById(m.id).lean())?.orgId).toBe(
    state === 'accepted' ? county.branchA2.id : county.branchA.id,
  );
});
