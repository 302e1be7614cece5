import mongoose from 'mongoose';
import type { ReviewResults } from '@pioneer/shared';
import { currentYear } from '../src/modules/commitments/commitments.service';
import { reconcileBallots } from '../src/modules/reviews/ballot-write';
import { BallotModel } from '../src/modules/reviews/reviews.model';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';

/**
 * The engine keeps documents in insertion order and has-voted keys are inserted in voting order (issue 21): ballots
 * inserted at vote time would line up with them in a plain dump. Slots are all created when the round opens, so the
 * stored ballots, in natural order, are the same documents in the same order before the first vote and after the last.
 */
let t: TestApp;
let county: County;
const year = currentYear();
const auth = (id: string) => bearer(t, id);
const base = () => `/api/v1/reviews/${county.branchA.id}/${year}`;
/** A plain find, no sort: the engine's natural order. */
const dump = () => mongoose.connection.db!.collection('review_ballots').find({}).toArray();
let sec: { id: string };
let members: { id: string }[];

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  sec = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记' });
  members = [sec];
  for (let i = 1; i <= 5; i += 1) members.push(await buildMember({ branch: county.branchA, name: `甲党员${i}` }));
}, 60_000);
afterAll(async () => t.close());

test('every ballot exists before the first vote; votes change neither the documents nor their stored order', async () => {
  const closesAt = new Date(Date.now() + 86_400_000).toISOString();
  await t.http().post('/api/v1/reviews').set(auth(sec.id)).send({ org: county.branchA.id, year, closesAt }).expect(201);
  const before = await dump();
  expect(before).toHaveLength(members.length);
  expect(before.every((b) => b.filled === false)).toBe(true);
  const order = before.map((b) => String(b._id));

  // Every voter rates 甲党员1 基本合格 with a label counting down (第6票 first), so a filled ballot says whose it is
  // (test only) and the comments arrive in reverse order of their text.
  const n = members.length;
  const label = (i: number) => `第${n - i}票`;
  for (const [i, m] of members.entries()) {
    const ratings = members.map((r) =>
      r.id === members[1].id
        ? { memberId: r.id, grade: 'basic', comment: label(i) }
        : { memberId: r.id, grade: 'qualified' },
    );
    await t.http().post(`${base()}/ballot`).set(auth(m.id)).send({ ratings }).expect(201);
    expect((await dump()).map((b) => String(b._id))).toEqual(order);
  }
  const after = await dump();
  expect(after.every((b) => b.filled === true)).toBe(true);
  // Under insertion the dump would read 第6票, 第5票, … in voting order; here the order was fixed before any vote.
  const seen = after.map((b) => (b.ratings as { comment?: string }[]).find((r) => r.comment)!.comment);
  expect([...seen].sort()).toEqual(members.map((_, i) => label(i)).sort());
  // The tally keeps no comments (a pushed list would be in arrival order); results read them from the slots.
  const tally = await mongoose.connection
    .db!.collection('review_tallies')
    .findOne({ _id: `${county.branchA.id}|${year}` as never });
  expect(tally!.comments).toEqual({});

  await t.http().post(`${base()}/close`).set(auth(sec.id)).send({}).expect(200);
  const res = (await t.http().get(`${base()}/results`).set(auth(sec.id))).body as ReviewResults;
  expect(res.round.voterCount).toBe(members.length);
  expect(res.rows.find((r) => r.member.id === members[1].id)?.counts).toEqual({
    excellent: 0,
    qualified: 0,
    basic: n,
    unqualified: 0,
  });
  expect(res.rows.find((r) => r.member.id === members[1].id)?.comments).toEqual(members.map((_, i) => label(i)).sort());
});

test('a round opened before slots existed (no slots listed) still takes votes as then and counts them', async () => {
  const secB = await buildMember({ branch: county.branchA2, roles: ['member', 'secretary'], name: '二支书记' });
  const voters = [secB];
  for (let i = 1; i <= 4; i += 1) voters.push(await buildMember({ branch: county.branchA2, name: `二支党员${i}` }));
  const closesAt = new Date(Date.now() + 86_400_000).toISOString();
  await t
    .http()
    .post('/api/v1/reviews')
    .set(auth(secB.id))
    .send({ org: county.branchA2.id, year, closesAt })
    .expect(201);
  const roundId = `${county.branchA2.id}|${year}`;
  // Made old-style: the round lists no slots and has none.
  await mongoose.connection
    .db!.collection('review_rounds')
    .updateOne({ _id: roundId as never }, { $unset: { slots: '' } });
  await mongoose.connection.db!.collection('review_ballots').deleteMany({ roundId });
  const baseB = `/api/v1/reviews/${county.branchA2.id}/${year}`;
  for (const [i, m] of voters.entries()) {
    const ratings = voters.map((r) =>
      r.id === voters[1].id
        ? { memberId: r.id, grade: 'basic', comment: `旧${i}` }
        : { memberId: r.id, grade: 'excellent' },
    );
    await t.http().post(`${baseB}/ballot`).set(auth(m.id)).send({ ratings }).expect(201);
  }
  const ballots = (await dump()).filter((b) => b.roundId === roundId);
  expect(ballots).toHaveLength(voters.length);
  for (const b of ballots) expect(Object.keys(b).sort()).toEqual(['_id', 'ratings', 'roundId']);
  await t.http().post(`${baseB}/close`).set(auth(secB.id)).send({}).expect(200);
  const res = (await t.http().get(`${baseB}/results`).set(auth(secB.id))).body as ReviewResults;
  expect(res.round.voterCount).toBe(voters.length);
  expect(res.rows.find((r) => r.member.id === secB.id)?.counts).toMatchObject({ excellent: voters.length });
  expect(res.rows.find((r) => r.member.id === voters[1].id)?.comments).toEqual(voters.map((_, i) => `旧${i}`));
});

test('members voting at once fill distinct slots; with one slot lost to a stray fill, the last finds none, is not left voted, and votes once the reconciler empties it', async () => {
  const secC = await buildMember({ branch: county.branchB, roles: ['member', 'secretary'], name: '乙支书记' });
  const voters = [secC];
  for (let i = 1; i <= 5; i += 1) voters.push(await buildMember({ branch: county.branchB, name: `乙支党员${i}` }));
  const closesAt = new Date(Date.now() + 86_400_000).toISOString();
  await t
    .http()
    .post('/api/v1/reviews')
    .set(auth(secC.id))
    .send({ org: county.branchB.id, year, closesAt })
    .expect(201);
  const roundId = `${county.branchB.id}|${year}`;
  const baseC = `/api/v1/reviews/${county.branchB.id}/${year}`;
  // A fill by a vote already rolled back (its token held by no pending key).
  const stray = (await dump()).find((b) => b.roundId === roundId)!;
  await BallotModel.updateOne({ _id: String(stray._id) }, { $set: { filled: true, ratings: [], vote: 'stray' } });
  const ratings = voters.map((r) => ({ memberId: r.id, grade: 'qualified' }));
  const cast = (id: string) => t.http().post(`${baseC}/ballot`).set(auth(id)).send({ ratings });
  const replies = await Promise.all(voters.map((m) => cast(m.id)));
  expect(replies.filter((r) => r.status === 201)).toHaveLength(voters.length - 1);
  const lostAt = replies.findIndex((r) => r.status !== 201);
  expect(replies[lostAt].status).toBe(409);
  expect(replies[lostAt].body.error.message).toContain('选票已全部投出');
  const late = voters[lostAt];
  expect((await t.http().get(baseC).set(auth(late.id))).body).toMatchObject({ hasVoted: false });

  expect(await reconcileBallots()).toMatchObject({ emptied: 1 });
  await cast(late.id).expect(201);
  const slots = (await dump()).filter((b) => b.roundId === roundId);
  expect(slots).toHaveLength(voters.length);
  expect(slots.every((b) => b.filled === true && b.vote === undefined)).toBe(true);
  const tally = await mongoose.connection.db!.collection('review_tallies').findOne({ _id: roundId as never });
  expect(tally!.voters).toBe(voters.length);
});
