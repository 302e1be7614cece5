import { setSharedViewMs } from '../src/db/shared-view';
import { startTestApp, type TestApp } from './support/harness';
import { bearer } from './support/client';
import { buildAdmin, buildCounty, buildMember } from './support/factories';
import { awardPoints } from '../src/modules/points/points.service';
import { LedgerModel, MemberTotalsModel } from '../src/modules/points/points.model';
import { AuditModel } from '../src/modules/audit/audit.model';
import { rebuildPoints, reconcilePoints, totalsSnapshot } from '../src/jobs/points-rebuild';
import { periodIds } from '@pioneer/shared';
import mongoose from 'mongoose';
import { scopeStanding, topOf } from '../src/modules/points/standings';
import {
  flushAppliedMarks,
  journalEntries,
  leavePending,
  sameJournalSlot,
  totalsMark,
} from '../src/modules/points/applied-marks';
import { scopeWritesLanded } from '../src/modules/points/scope-writes';
import { withCommandCount } from '../src/db/engine-commands';

/** Every scope's standing and top 20 in each current period, through the points API the leaderboards use. */
async function scopeViews() {
  const scopes = Object.values(county).map((o) => o.id);
  const views: Record<string, unknown> = {};
  for (const scopeId of scopes)
    for (const pid of periodIds(new Date())) {
      const { asOf: _asOf, ...standing } = await scopeStanding(scopeId, pid);
      const histogram = Object.fromEntries(Object.entries(standing.histogram).filter(([, n]) => n !== 0));
      const childSums = Object.fromEntries(Object.entries(standing.childSums).filter(([, n]) => n !== 0));
      const top = (await topOf(scopeId, pid, Math.min(20, standing.members))).rows.slice(0, 20);
      views[`${pid}|${scopeId}`] = { ...standing, histogram, childSums, top: top.map((r) => [r.userId, r.points]) };
    }
  return views;
}

let t: TestApp;
let county: Awaited<ReturnType<typeof buildCounty>>;
const auth = (id: string) => bearer(t, id);
const me = async (id: string) => (await t.http().get('/api/v1/me').set(auth(id))).body;

beforeAll(async () => {
  t = await startTestApp();
  county = await buildCounty();
});
afterAll(() => t.close());

describe('awardPoints', () => {
  test('when the same award is sent 100 times at once, then it pays once', async () => {
    const member = await buildMember({ branch: county.branchA });
    const award = {
      userId: member.id,
      reason: 'wish_fulfilled' as const,
      points: 5,
      refType: 'wish',
      refId: 'w1',
      idempotencyKey: `wish|w1|${member.id}`,
    };
    const results = await Promise.all(Array.from({ length: 100 }, () => awardPoints(award)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(results.every((r) => r.awarded === 5)).toBe(true);
    expect(await LedgerModel.countDocuments({ userId: member.id })).toBe(1);
    expect((await me(member.id)).points).toEqual({ week: 5, month: 5, year: 5, all: 5 });
  });

  test('when daily quiz awards pass the daily cap, then the day pays at most 5 and the next day pays again', async () => {
    const member = await buildMember({ branch: county.branchA });
    const today = new Date('2026-11-25T02:00:00Z');
    const tomorrow = new Date('2026-11-26T02:00:00Z');
    const base = { userId: member.id, reason: 'daily_quiz' as const, refType: 'quiz' };
    const first = await awardPoints({
      ...base,
      points: 3,
      refId: 'a1',
      idempotencyKey: `q|a1|${member.id}`,
      at: today,
    });
    const second = await awardPoints({
      ...base,
      points: 4,
      refId: 'a2',
      idempotencyKey: `q|a2|${member.id}`,
      at: today,
    });
    const third = await awardPoints({
      ...base,
      points: 4,
      refId: 'a3',
      idempotencyKey: `q|a3|${member.id}`,
      at: today,
    });
    const nextDay = await awardPoints({
      ...base,
      points: 4,
      refId: 'a4',
      idempotencyKey: `q|a4|${member.id}`,
      at: tomorrow,
    });
    expect([first.awarded, second.awarded, third.awarded, nextDay.awarded]).toEqual([3, 2, 0, 4]);
    expect(second.capped).toBe(true);
  });

  test('when 20 different capped awards race in one day, then the cap holds exactly', async () => {
    const member = await buildMember({ branch: county.branchA });
    const at = new Date();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        awardPoints({
          userId: member.id,
          reason: 'post_service',
          points: 2,
          refType: 'record',
          refId: `r${i}`,
          idempotencyKey: `svc|r${i}`,
          at,
        }),
      ),
    );
    expect(results.reduce((s, r) => s + r.awarded, 0)).toBe(8);
    const ledger = await LedgerModel.find({ userId: member.id }).lean();
    expect(ledger.reduce((s, e) => s + e.delta, 0)).toBe(8);
  });

  test('when a retried capped award arrives after others, then it is granted what it was granted the first time', async () => {
    const member = await buildMember({ branch: county.branchA });
    const at = new Date();
    const a = {
      userId: member.id,
      reason: 'challenge_quiz' as const,
      points: 3,
      refType: 'quiz',
      refId: 'c1',
      idempotencyKey: `ch|c1|${member.id}`,
      at,
    };
    const first = await awardPoints(a);
    await awardPoints({ ...a, refId: 'c2', idempotencyKey: `ch|c2|${member.id}` });
    const retry = await awardPoints(a);
    expect(first.awarded).toBe(3);
    expect(retry).toMatchObject({ awarded: 3, duplicate: true });
  });

  test('when a storm of concurrent awards lands, then live totals equal the totals rebuilt from the ledger', async () => {
    const members = await Promise.all(
      [county.branchA, county.branchA2, county.branchB, county.branchB].map((branch) => buildMember({ branch })),
    );
    const reasons = ['daily_quiz', 'post_service', 'wish_fulfilled', 'activity_attended', 'checkin'] as const;
    const awards = Array.from({ length: 200 }, (_, i) => ({
      userId: members[i % members.length]!.id,
      reason: reasons[i % reasons.length]!,
      points: 1 + (i % 4),
      refType: 'storm',
      refId: `s${i % 150}`,
      // Some keys repeat on purpose: the repeats must not pay.
      idempotencyKey: `storm|${i % 150}|${members[i % members.length]!.id}`,
      at: new Date(Date.now() - (i % 3) * 24 * 3600 * 1000),
    }));
    // Awarded with shared views on (the scopes' bulk-write path), compared with them off (what is stored).
    setSharedViewMs(2000);
    await Promise.all(awards.slice(0, 20).map((a) => awardPoints(a)));
    await Promise.all(awards.slice(20).map((a) => awardPoints(a)));
    setSharedViewMs(0);
    const live = await totalsSnapshot();
    const liveViews = await scopeViews();
    const rebuilt = await rebuildPoints();
    expect(rebuilt.totals).toBeGreaterThan(0);
    expect(await totalsSnapshot()).toEqual(live);
    // Histograms, members counted, child sums and the top rows of every scope and current period, too.
    expect(await scopeViews()).toEqual(liveViews);
  });

  test('when a deployment still holds the layout before issue 17, then points:rebuild drops it and writes the new one', async () => {
    const member = await buildMember({ branch: county.branchA2 });
    await awardPoints({
      userId: member.id,
      reason: 'wish_fulfilled',
      points: 4,
      refType: 'wish',
      refId: 'm1',
      idempotencyKey: `migrate|${member.id}`,
    });
    const db = mongoose.connection.db!;
    // What an older server left: a document per total and per period of a scope.
    await db.collection('points_totals').insertOne({ _id: `all|self|${member.id}` as never, points: 4 });
    await db.collection('points_scope_stats').insertOne({ _id: `all|${county.county.id}` as never, members: 1 });
    // and, before the feeds moved in with the scope documents, a collection of feeds.
    await db.collection('points_feed').insertOne({ _id: `${member.id}|2026-01` as never, items: [] });
    const live = await totalsSnapshot();
    await rebuildPoints();
    const left = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(left).not.toContain('points_totals');
    expect(left).not.toContain('points_scope_stats');
    expect(left).not.toContain('points_feed');
    expect(await totalsSnapshot()).toEqual(live);
    expect((await me(member.id)).points.all).toBe(4);
  });

  test('when the process died between the ledger insert and the totals, then reconciliation applies the entry once', async () => {
    const member = await buildMember({ branch: county.branchB });
    await awardPoints({
      userId: member.id,
      reason: 'wish_fulfilled',
      points: 5,
      refType: 'wish',
      refId: 'r-a',
      idempotencyKey: `crash|a|${member.id}`,
    });
    const at = new Date();
    // What a crash leaves behind: the entry is written, the derived views are not.
    await LedgerModel.create({
      _id: `crash|b|${member.id}`,
      userId: member.id,
      delta: 3,
      asked: 3,
      reason: 'activity_attended',
      refType: 'activity',
      refId: 'x',
      at,
      periods: periodIds(at),
      scopes: [county.county.id, county.townB.id, county.villageB.id, county.branchB.id],
    });
    await leavePending(`crash|b|${member.id}`); // its journal line: the same command as the insert (points.service.ts)
    expect(await reconcilePoints()).toBe(1);
    expect(await reconcilePoints()).toBe(0);
    expect((await me(member.id)).points.all).toBe(8);
  });
});

describe('the journal line dropped (with others, off the request path)', () => {
  test('when the process died after the views and before the journal line was dropped, then reconciliation changes nothing and drops the marks', async () => {
    const member = await buildMember({ branch: county.branchA2 });
    const key = `crash|mark|${member.id}`;
    await awardPoints({
      userId: member.id,
      reason: 'wish_fulfilled',
      points: 4,
      refType: 'wish',
      refId: 'w',
      idempotencyKey: key,
    });
    await flushAppliedMarks();
    expect(await journalEntries()).not.toContain(key);
    setSharedViewMs(0);
    const history = async () => (await t.http().get('/api/v1/points/ledger').set(auth(member.id))).body.items;
    const before = { me: (await me(member.id)).points, totals: await totalsSnapshot(), views: await scopeViews() };
    expect(await history()).toHaveLength(1);
    // What a stop leaves when the queued marks never reached the engine: every view done (its feed holds it), its
    // journal line and its mark on the member's totals still there (applied-marks.ts).
    await leavePending(key);
    await MemberTotalsModel.updateOne({ _id: member.id }, { $set: { [totalsMark(key)]: 1 } });
    expect(await reconcilePoints()).toBe(0); // none pending: its feed says finished
    expect(await journalEntries()).not.toContain(key);
    const marks = await MemberTotalsModel.findById(member.id, { p: 1 }).lean<{ p?: Record<string, 1> }>();
    expect(Object.keys(marks?.p ?? {})).toEqual([]);
    expect({ me: (await me(member.id)).points, totals: await totalsSnapshot(), views: await scopeViews() }).toEqual(
      before,
    );
    expect(await history()).toHaveLength(1);
  });

  test('when awards land together, then every journal line is dropped (one bulk write for those queued)', async () => {
    const members = await Promise.all([county.branchA, county.branchB].map((branch) => buildMember({ branch })));
    const keys = members.flatMap((m) => [1, 2, 3].map((i) => `together|${i}|${m.id}`));
    await Promise.all(
      keys.map((key, i) =>
        awardPoints({
          userId: members[i % 2]!.id,
          reason: 'wish_fulfilled',
          points: 1,
          refType: 'wish',
          refId: key,
          idempotencyKey: key,
        }),
      ),
    );
    const { commands } = await withCommandCount(() => flushAppliedMarks());
    expect(commands).toBeLessThanOrEqual(1);
    expect((await journalEntries()).filter((id) => keys.includes(id))).toEqual([]);
  });
});

describe('a finished entry’s journal line dropped by the next award of its journal document', () => {
  const wish = (userId: string, key: string) =>
    awardPoints({ userId, reason: 'wish_fulfilled', points: 1, refType: 'wish', refId: key, idempotencyKey: key });

  test('when another award’s line goes to the same journal document, then its statement drops the finished line', async () => {
    const [a, b] = await Promise.all([county.branchA, county.branchB].map((branch) => buildMember({ branch })));
    await flushAppliedMarks(); // nothing queued: the grouped write's timer starts with this test's drop
    const first = `ride|first|${a.id}`;
    await wish(a.id, first);
    await scopeWritesLanded(); // finished: its line's drop queued, not written yet
    expect(await journalEntries()).toContain(first);
    let i = 0;
    while (!sameJournalSlot(first, `ride|${i}|${b.id}`)) i++;
    const ledgerStatements: number[] = [];
    const count = (e: { commandName: string; command: Record<string, unknown> }) => {
      if (e.commandName === 'update' && e.command.update === 'ledger')
        ledgerStatements.push((e.command.updates as unknown[]).length);
    };
    const client = mongoose.connection.getClient();
    client.on('commandStarted', count);
    try {
      await wish(b.id, `ride|${i}|${b.id}`);
    } finally {
      client.off('commandStarted', count);
    }
    expect(ledgerStatements).toEqual([2]); // its insert and its journal line, the drop in the latter
    expect(await journalEntries()).not.toContain(first);
    await flushAppliedMarks();
    expect((await journalEntries()).filter((id) => id.startsWith('ride|'))).toEqual([]);
  });

  test('when the statement carrying a drop fails, then the drop is queued again', async () => {
    const [a, b] = await Promise.all([county.branchA, county.branchB].map((branch) => buildMember({ branch })));
    await flushAppliedMarks();
    const first = `ride|again|${a.id}`;
    await wish(a.id, first);
    await scopeWritesLanded();
    let i = 0;
    while (!sameJournalSlot(first, `ride|fails|${i}|${b.id}`)) i++;
    const failing = `ride|fails|${i}|${b.id}`;
    const ledger = LedgerModel.collection;
    const slot = (await ledger.findOne({ [`e.${Buffer.from(first).toString('base64url')}`]: first }))!;
    await ledger.updateOne({ _id: slot._id }, { $set: { e: 5 } }); // its journal document refuses `e.<entry>`
    try {
      await expect(wish(b.id, failing)).rejects.toThrow();
    } finally {
      await ledger.replaceOne({ _id: slot._id }, slot);
      await ledger.deleteOne({ _id: failing as never }); // inserted before its journal statement was refused
    }
    expect(await journalEntries()).toContain(first);
    await flushAppliedMarks();
    expect(await journalEntries()).not.toContain(first);
  });

  test('when a duplicate request comes while the entry’s drop is queued, then it is answered and the line dropped after', async () => {
    const m = await buildMember({ branch: county.branchA2 });
    await flushAppliedMarks();
    const key = `ride|dup|${m.id}`;
    await wish(m.id, key);
    await scopeWritesLanded();
    // Its insert sets the line again: its statement must not drop that same line too (the engine refuses both).
    expect((await wish(m.id, key)).duplicate).toBe(true);
    await flushAppliedMarks();
    expect(await journalEntries()).not.toContain(key);
  });
});

describe('adjustments', () => {
  test('when a secretary adjusts a member of their branch with a reason, then it is paid, in the history and audited', async () => {
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    const member = await buildMember({ branch: county.branchA });
    const res = await t
      .http()
      .post('/api/v1/points/adjustments')
      .set(auth(secretary.id))
      .set('idempotency-key', 'adjust-key-0001')
      .send({ userId: member.id, delta: 7, reason: '协助疫情防控' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ delta: 7, reason: 'manual_adjustment', note: '协助疫情防控' });
    const again = await t
      .http()
      .post('/api/v1/points/adjustments')
      .set(auth(secretary.id))
      .set('idempotency-key', 'adjust-key-0001')
      .send({ userId: member.id, delta: 7, reason: '协助疫情防控' });
    expect(again.body.id).toBe(res.body.id);
    expect((await me(member.id)).points.all).toBe(7);
    expect(await AuditModel.countDocuments({ action: 'points.adjust', targetId: member.id })).toBe(1);
    const history = await t.http().get('/api/v1/points/ledger').set(auth(member.id));
    expect(history.body.items).toEqual([
      expect.objectContaining({ delta: 7, reason: 'manual_adjustment', note: '协助疫情防控' }),
    ]);
  });

  test('when a secretary adjusts a member of another branch, then 403 and nothing is paid', async () => {
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    const other = await buildMember({ branch: county.branchB });
    const res = await t
      .http()
      .post('/api/v1/points/adjustments')
      .set(auth(secretary.id))
      .send({ userId: other.id, delta: 5, reason: '越权调整' });
    expect(res.status).toBe(403);
    expect(await LedgerModel.countDocuments({ userId: other.id })).toBe(0);
  });

  test('when a plain member adjusts, or the reason is missing, or delta is 0 or huge, then it is refused', async () => {
    const secretary = await buildMember({ branch: county.branchA, roles: ['member', 'secretary'] });
    const member = await buildMember({ branch: county.branchA });
    const asMember = await t
      .http()
      .post('/api/v1/points/adjustments')
      .set(auth(member.id))
      .send({ userId: member.id, delta: 5, reason: '给自己加分' });
    expect(asMember.status).toBe(403);
    for (const body of [
      { userId: member.id, delta: 5 },
      { userId: member.id, delta: 0, reason: '零分' },
      { userId: member.id, delta: 1e9, reason: '太多' },
      { userId: member.id, delta: 1.5, reason: '小数' },
    ]) {
      const res = await t.http().post('/api/v1/points/adjustments').set(auth(secretary.id)).send(body);
      expect(res.status).toBe(400);
    }
    expect(await LedgerModel.countDocuments({ userId: member.id })).toBe(0);
  });

  test('when an admin deducts points, then totals go down and the history shows it', async () => {
    const admin = await buildAdmin({ of: county.county, branch: county.branchA });
    const member = await buildMember({ branch: county.branchB });
    await awardPoints({
      userId: member.id,
      reason: 'wish_fulfilled',
      points: 5,
      refType: 'wish',
      refId: 'd1',
      idempotencyKey: `ded|${member.id}`,
    });
    const res = await t
      .http()
      .post('/api/v1/points/adjustments')
      .set(auth(admin.id))
      .send({ userId: member.id, delta: -2, reason: '虚报服务时长' });
    expect(res.status).toBe(201);
    expect((await me(member.id)).points.all).toBe(3);
  });
});

describe('points history', () => {
  test('when a member has entries across months, then pages walk them newest first with no gaps', async () => {
    const member = await buildMember({ branch: county.branchA });
    const now = Date.now();
    for (let i = 0; i < 7; i++) {
      await awardPoints({
        userId: member.id,
        reason: 'activity_attended',
        points: 3,
        refType: 'activity',
        refId: `h${i}`,
        idempotencyKey: `hist|${i}|${member.id}`,
        at: new Date(now - i * 12 * 24 * 3600 * 1000),
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await t
        .http()
        .get('/api/v1/points/ledger')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(auth(member.id));
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { at: string }) => i.at));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(7);
    expect([...seen].sort().reverse()).toEqual(seen);
  });

  test('when the cursor is malformed, then 400', async () => {
    const member = await buildMember({ branch: county.branchA });
    const res = await t.http().get('/api/v1/points/ledger?cursor=abc').set(auth(member.id));
    expect(res.status).toBe(400);
  });
});
