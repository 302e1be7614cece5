import { formatShanghai, type Talk, type TalkBody, type TalkRegister } from '@pioneer/shared';
import { invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize } from '../../policy';
import { UserModel, type UserDoc } from '../users/users.model';
import { LifeMeetingModel, TalkModel, type LifeMeetingDoc, type TalkDoc } from './life.model';
import { requireLifeMeeting } from './life.service';
import { branchPlaced } from './reviews.service';

/**
 * 谈心谈话 register (issue 21 item 1): the secretary records who talked with whom, when, and the gist. Every member
 * should have at least one talk a year (on either side); the register names who has none. A record is
 * `${branchId}|${year}|${n}`, n from one `$inc` on the year's meeting, which also counts each member's talks.
 */
const talkKey = (branchId: string, year: number, n: number) => `${branchId}|${year}|${n}`;
export const TALKS_MAX = 1000;

const view = (d: TalkDoc): Talk => ({ n: d.n, talker: d.talker, talkee: d.talkee, date: d.date, summary: d.summary });

/** A talker from above the branch (the township's secretary talking with the branch's) is the recorder. */
async function nameOf(userId: string): Promise<{ id: string; name: string } | null> {
  const u = await UserModel.findById(userId).lean<UserDoc>();
  return u ? { id: u._id, name: u.name } : null;
}

async function managed(actor: SessionUser, branchId: string, year: number): Promise<LifeMeetingDoc> {
  const branch = await branchPlaced(branchId);
  authorize(actor, 'life.manage', branch);
  return requireLifeMeeting(branchId, year);
}

export async function recordTalk(
  actor: SessionUser,
  branchId: string,
  year: number,
  body: TalkBody,
  now = new Date(),
): Promise<Talk> {
  const doc = await managed(actor, branchId, year);
  const byId = new Map(doc.members.map((m) => [m.id, m]));
  const talker = byId.get(body.talkerId) ?? (body.talkerId === actor.id ? await nameOf(actor.id) : null);
  const talkee = byId.get(body.talkeeId);
  if (!talker || !talkee) throw invalid('谈话双方须是本支部党员（上级谈话人为记录人本人）');
  if (!body.date.startsWith(`${year}-`)) throw invalid(`谈话日期须在${year}年内`);
  if (body.date > formatShanghai(now, 'YYYY-MM-DD')) throw invalid('谈话日期不能晚于今天');
  if (doc.talkSeq >= TALKS_MAX) throw invalid(`每年最多登记${TALKS_MAX}条谈心谈话`);
  const inc: Record<string, number> = { talkSeq: 1, [`talked.${talkee.id}`]: 1 };
  if (byId.has(talker.id)) inc[`talked.${talker.id}`] = 1;
  const after = await LifeMeetingModel.findOneAndUpdate(
    { _id: doc._id },
    { $inc: inc },
    { returnDocument: 'after' },
  ).lean<LifeMeetingDoc>();
  const n = after!.talkSeq;
  const talk = {
    _id: talkKey(branchId, year, n),
    n,
    talker: { id: talker.id, name: talker.name },
    talkee: { id: talkee.id, name: talkee.name },
    date: body.date,
    summary: body.summary,
    by: actor.id,
    at: now,
  };
  await TalkModel.create(talk);
  return view(talk as TalkDoc);
}

/** The register: every talk in order (n key reads), and the members with none this year. */
export async function talkRegister(actor: SessionUser, branchId: string, year: number): Promise<TalkRegister> {
  const doc = await managed(actor, branchId, year);
  const count = Math.min(doc.talkSeq ?? 0, TALKS_MAX);
  const docs = await Promise.all(
    Array.from({ length: count }, (_, i) => TalkModel.findById(talkKey(branchId, year, i + 1)).lean<TalkDoc>()),
  );
  return {
    talks: docs.filter((d): d is TalkDoc => d !== null).map(view),
    missing: doc.members.filter((m) => !(doc.talked?.[m.id] > 0)),
  };
}
