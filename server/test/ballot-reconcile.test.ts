import mongoose from 'mongoose';
import type { ReviewResults } from '@pioneer/shared';
import { currentYear } from '../src/modules/commitments/commitments.service';
import {
  VOTE_STALE_MS,
  claimVote,
  countBallot,
  reconcileBallots,
  writeBallot,
} from '../src/modules/reviews/ballot-write';
import { BallotModel } from '../src/modules/reviews/reviews.model';
import { startCountyApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildMember, type County } from './support/factories';

/**
 * A crash between the has-voted key and the ballot/tally writes (issue 21): the reconciler finishes a vote whose
 * ballot was stored (counted once, however often or concurrently it runs) and undoes one whose ballot was not (the
 * member may vote again); afterwards no stored key or tally links a member to a ballot.
 */
let t: TestApp;
let county: County;
const year = currentYear();
const auth = (id: string) => bearer(t, id);
const base = () => `/api/v1/reviews/${county.branchA.id}/${year}`;
const roundId = () => `${county.branchA.id}|${year}`;
const raw = (name: string) => mongoose.connection.db!.collection(name).find({}).toArray();
let sec: { id: string };
let members: { id: string }[];
const ratingsOf = (grade = 'qualified') => members.map((m) => ({ memberId: m.id, grade }));
/** When the crashed request wrote: long enough ago for the reconciler to take it over. */
const crashedAt = () => new Date(Date.now() - VOTE_STALE_MS - 60_000);

beforeAll(async () => {
  ({ t, county } = await startCountyApp());
  sec = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲书记' });
  members = [sec];
  for (let i = 1; i <= 6; i += 1) members.push(await buildMember({ branch: county.branchA, name: `甲党员${i}` }));
  await t
    .http()
    .post('/api/v1/reviews')
    .set(auth(sec.id))
    .send({ org: county.branchA.id, year, closesAt: new Date(Date.now() + 86_400_000).toISOString() })
    .expect(201);
}, 60_000);
afterAll(async () => t.close());

const tally = async () =>
  (await mongoose.connection.db!.collection('review_tallies').findOne({ _id: roundId() as never })) as unknown as {
    voters: number;
    counts: Record<string, Record<string, number>>;
    applied?: Record<string, string>;
  };
const roundOf = async (who: string) => (await t.http().get(base()).set(auth(who))).body;

test('three crashes (after the claim, after the ballot, after the count) and a fresh vote in flight', async () => {
  // 1: the key only. 2: key and ballot, not counted. 3: counted but the key still pending. 4: counted and the slot
  // already let go of the vote token, the key still pending (step 4 cut short after its first write).
  const [a, b, c, d] = members.slice(1, 5);
  const tokenA = await claimVote(roundId(), a.id, crashedAt());
  const ballotB = await claimVote(roundId(), b.id, crashedAt());
  await writeBallot(roundId(), ballotB, ratingsOf('excellent'));
  const ballotC = await claimVote(roundId(), c.id, crashedAt());
  await writeBallot(roundId(), ballotC, ratingsOf('basic'));
  await countBallot(roundId(), ballotC, ratingsOf('basic'), crashedAt());
  const tokenS = await claimVote(roundId(), sec.id, crashedAt());
  const slotS = await writeBallot(roundId(), tokenS, ratingsOf());
  await countBallot(roundId(), tokenS, ratingsOf(), crashedAt());
  await BallotModel.updateOne({ _id: slotS }, { $unset: { vote: '' } });
  // A vote a moment ago is not the reconciler's yet (its request may still be running).
  const ballotD = await claimVote(roundId(), d.id, new Date());
  await writeBallot(roundId(), ballotD, ratingsOf());
  expect((await tally()).voters).toBe(2);
  expect(await roundOf(a.id)).toMatchObject({ hasVoted: true });

  // Run twice at once, then once more: each vote is repaired once.
  const [r1, r2] = await Promise.all([reconcileBallots(), reconcileBallots()]);
  expect(r1.finished + r2.finished).toBe(3);
  expect(r1.rolledBack + r2.rolledBack).toBe(1);
  // The rolled-back vote's fill stalled and lands now: that slot is emptied again, not counted.
  const lateSlot = await writeBallot(roundId(), tokenA, ratingsOf('unqualified'));
  const again = await reconcileBallots();
  expect(again).toMatchObject({ finished: 0, rolledBack: 0, emptied: 1 });
  expect(await BallotModel.findById(lateSlot).lean()).toMatchObject({ filled: false, ratings: [] });

  const after = await tally();
  expect(after.voters).toBe(3);
  expect(after.counts[members[6].id]).toEqual({ excellent: 1, basic: 1, qualified: 1 });
  // The member whose ballot never landed may vote now; the others may not.
  expect(await roundOf(a.id)).toMatchObject({ hasVoted: false });
  await t.http().post(`${base()}/ballot`).set(auth(a.id)).send({ ratings: ratingsOf() }).expect(201);
  const twice = await t.http().post(`${base()}/ballot`).set(auth(b.id)).send({ ratings: ratingsOf() });
  expect(twice.body.error.code).toBe('ALREADY_VOTED');
  expect((await tally()).voters).toBe(4);

  // Secrecy afterwards: finished keys are bare, the tally keeps no ballot id but the one still in flight.
  const keys = await raw('review_voted');
  for (const k of keys) if (String(k._id) !== `${roundId()}|${d.id}`) expect(Object.keys(k)).toEqual(['_id']);
  expect(Object.keys((await tally()).applied ?? {})).toEqual([]);
  for (const ballot of await raw('review_ballots'))
    if (ballot.filled && ballot.vote !== ballotD)
      expect(Object.keys(ballot).sort()).toEqual(['_id', 'filled', 'ratings', 'roundId']);

  // Once the fresh vote is stale too, it is finished like the others.
  const later = new Date(Date.now() + VOTE_STALE_MS + 60_000);
  expect(await reconcileBallots(later)).toMatchObject({ finished: 1 });
  expect((await tally()).voters).toBe(5);
  for (const ballot of await raw('review_ballots')) expect(ballot.vote).toBeUndefined();
});

test('a live vote leaves nothing pending and nothing in applied', async () => {
  const e = members[5];
  await t.http().post(`${base()}/ballot`).set(auth(e.id)).send({ ratings: ratingsOf() }).expect(201);
  expect(Object.keys((await tally()).applied ?? {})).toEqual([]);
  expect(await reconcileBallots(new Date(Date.now() + 2 * VOTE_STALE_MS))).toMatchObject({ found: 0 });
  await t.http().post(`${base()}/close`).set(auth(sec.id)).send({}).expect(200);
  const res = (await t.http().get(`${base()}/results`).set(auth(sec.id))).body as ReviewResults;
  expect(res.round.voterCount).toBe(6);
  expect(res.rows.find((r) => r.member.id === members[6].id)?.counts).toEqual({
    excellent: 1,
    qualified: 4,
    basic: 1,
    unqualified: 0,
  });
});
