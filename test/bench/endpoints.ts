/**
 * The bench's requests, one definition for every tool that loads the server (run.ts, cpu-per-request.ts): each hot
 * path as one member action over HTTP (the latency series) and as autocannon requests (under load).
 */
import type autocannon from 'autocannon';
import { OPTION_KEYS, type Attempt } from '@pioneer/shared';
import { QuestionModel } from '../../server/src/modules/quiz/quiz.model';
import type { ScaleCounty } from './seed-scale';
import { send, type Reply } from './http-client';

/** autocannon's per-connection context for the two-step quiz request. */
interface QuizCtx {
  user: string;
  attempt: string;
  answers: string;
}

type Key = (typeof OPTION_KEYS)[number];
/** question id -> the texts of its right options: how the bench answers a shuffled attempt right, as a member would. */
let rightTexts = new Map<string, Set<string>>();
export async function loadAnswerKey() {
  const questions = await QuestionModel.find({}, { options: 1, answer: 1 }).lean();
  rightTexts = new Map(
    questions.map((q) => [String(q._id), new Set(q.answer.map((k) => q.options[OPTION_KEYS.indexOf(k as Key)]!))]),
  );
}
function rightAnswers(attempt: Attempt): string {
  const answers = attempt.questions.map((q) => ({
    questionId: q.id,
    choice: q.options.filter((o) => rightTexts.get(q.id)?.has(o.text)).map((o) => o.key),
  }));
  return JSON.stringify({ answers });
}

/** An action's commands and its own time (ms), when the action times only part of what it sends. */
export interface Timed {
  commands: number;
  ms: number;
}

export interface Endpoint {
  name: string;
  /** One member action over HTTP, for the latency series; `i` picks a member. Resolves to its engine commands. */
  once: (base: string, i: number) => Promise<number | Timed>;
  /** The same action as autocannon requests (none: measured alone only). */
  load?: (i: () => number) => autocannon.Request[];
  /** Run once before the load (a warm line's members read once). */
  beforeLoad?: (base: string) => Promise<unknown>;
  /** After the load: the share of its actions that paid (a paying line that ran out of payers says so). */
  paying?: () => number | null;
}

/** The members of a warm line: each read once before it is measured, alone and under load. */
const WARM_MEMBERS = 500;

export function endpoints(c: ScaleCounty, token: (userId: string) => string): Endpoint[] {
  const member = (i: number) => c.memberIds[(i * 7919) % c.memberIds.length]!;
  const branchOf = (i: number) => c.branchIds[((i * 7919) % c.memberIds.length) % c.branchIds.length]!;
  /** The warm line's members: the last WARM_MEMBERS of the list (member index j is in branch j % branches). */
  const warmIndex = (k: number) => c.memberIds.length - 1 - (k % WARM_MEMBERS);
  const warmMember = (k: number) => c.memberIds[warmIndex(k)]!;
  const warmRankUrl = (k: number) =>
    `/api/v1/leaderboards/members?scope=${c.branchIds[warmIndex(k) % c.branchIds.length]}&period=month&limit=0`;
  const json = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
  /** The request, and the engine commands it sent (X-Engine-Commands: the test config turns the header on). */
  const call = async (url: string, init: RequestInit): Promise<Timed> => {
    const res = await send(url, init);
    // A read has no reason to be refused: a 4xx there means the bench measures an error page (the 数据看板 line
    // measured 404s until the seed wrote its subtree document). Writes keep the 5xx rule: a resend may be refused.
    const read = (init.method ?? 'GET') === 'GET';
    if (res.status >= 500 || (read && !res.ok)) throw new Error(`${url} -> ${res.status}`);
    return { commands: engineCommands(res), ms: res.ms };
  };
  // Each cadre checks in at their own village, as in a real county (one cadre hammering one month doc is not).
  const cadre = (i: number) => c.cadres[((i % c.cadres.length) + c.cadres.length) % c.cadres.length]!;
  // The alone series takes the first cadres (run.ts passes i = size + sample); the load walks them from the last one
  // down, so its check-ins are each a cadre's first of the day (paying) until it reaches the alone series' cadres.
  const aloneCadre = (i: number) => cadre(i - c.memberIds.length);
  const loadCadre = (k: number) => cadre(c.cadres.length - 1 - (k % c.cadres.length));
  let loadCheckins = 0;
  /** The check-ins under load, and how many of them paid (a reply's pointsAwarded > 0). */
  const checkins = { replies: 0, paid: 0 };
  /** A check-in by `who` at their own village, in its fence. */
  const checkin = (who: ScaleCounty['cadres'][number]) => ({
    body: JSON.stringify({ lat: who.fence.lat, lng: who.fence.lng, accuracy: 20, coordType: 'gcj02' }),
    headers: json(token(who.id)),
  });
  /** A member's daily quiz, answered right: the engine commands of its start and of its submit (the paying one). */
  const dailyQuiz = async (b: string, i: number) => {
    const res = await send(`${b}/api/v1/quiz/attempts`, {
      method: 'POST',
      headers: json(token(member(i))),
      body: '{"kind":"daily"}',
    });
    const attempt = JSON.parse(res.body) as Attempt;
    const answers = rightAnswers(attempt);
    const submit = await call(`${b}/api/v1/quiz/attempts/${attempt.id}/submit`, {
      method: 'POST',
      headers: json(token(member(i))),
      body: answers,
    });
    // The action's time: its two requests' own times (the answers are worked out between them, by the member).
    return { start: engineCommands(res), submit: submit.commands, ms: res.ms + submit.ms, submitMs: submit.ms };
  };
  return [
    { name: 'GET /healthz', once: (b) => call(`${b}/healthz`, {}), load: () => [{ path: '/healthz' }] },
    {
      name: 'county board top 50 (month)',
      once: (b) =>
        call(`${b}/api/v1/leaderboards/members?scope=${c.countyId}&period=month&limit=50`, {
          headers: json(token(c.adminId)),
        }),
      load: () => [
        {
          path: `/api/v1/leaderboards/members?scope=${c.countyId}&period=month&limit=50`,
          headers: json(token(c.adminId)),
        },
      ],
    },
    {
      // Issue 18: the county's 数据看板 is key reads (the subtree and counters documents), never a scan.
      name: '数据看板 (county, month)',
      once: (b) => call(`${b}/api/v1/dashboard?period=month`, { headers: json(token(c.adminId)) }),
      load: () => [{ path: '/api/v1/dashboard?period=month', headers: json(token(c.adminId)) }],
    },
    {
      name: 'my rank (branch, month)',
      once: (b, i) =>
        call(`${b}/api/v1/leaderboards/members?scope=${branchOf(i)}&period=month&limit=0`, {
          headers: json(token(member(i))),
        }),
      load: (next) => [
        {
          setupRequest: (req) => {
            const i = next();
            return {
              ...req,
              path: `/api/v1/leaderboards/members?scope=${branchOf(i)}&period=month&limit=0`,
              headers: json(token(member(i))),
            };
          },
        },
      ],
    },
    {
      // Issue 17, H6a: a member's own totals held in memory (points/held-totals.ts). The cold lines read a different
      // member each time; here a fixed set of WARM_MEMBERS members at the end of the list, each read once before (in
      // the series, the same member just before; under load, all of them first), so what it measures is a member's
      // next read. Its own counter and members: the cold lines' members and counters stay what they were.
      name: "my rank (warm: a member's second read)",
      once: async (b, k) => {
        const url = warmRankUrl(k);
        const init = { headers: json(token(warmMember(k))) };
        await call(`${b}${url}`, init);
        return call(`${b}${url}`, init); // the second read's own commands and time
      },
      beforeLoad: async (b) => {
        for (let k = 0; k < WARM_MEMBERS; k++)
          await call(`${b}${warmRankUrl(k)}`, { headers: json(token(warmMember(k))) });
      },
      load: () => {
        let k = 0;
        return [
          {
            setupRequest: (req) => {
              k += 1;
              return { ...req, path: warmRankUrl(k), headers: json(token(warmMember(k))) };
            },
          },
        ];
      },
    },
    {
      name: 'my points (GET /me)',
      once: (b, i) => call(`${b}/api/v1/me`, { headers: json(token(member(i))) }),
      load: (next) => [
        { setupRequest: (req) => ({ ...req, path: '/api/v1/me', headers: json(token(member(next()))) }) },
      ],
    },
    {
      name: 'daily quiz start + submit (all right: pays 5)',
      once: async (b, i) => {
        const { start, submit, ms } = await dailyQuiz(b, i);
        return { commands: start + submit, ms };
      },
      load: (next) => [
        {
          method: 'POST',
          path: '/api/v1/quiz/attempts',
          body: '{"kind":"daily"}',
          setupRequest: (req, ctx) => {
            const c2 = ctx as QuizCtx;
            c2.user = member(next());
            return { ...req, headers: json(token(c2.user)) };
          },
          onResponse: (_s, body, ctx) => {
            const a = JSON.parse(body) as Attempt;
            (ctx as QuizCtx).attempt = a.id;
            (ctx as QuizCtx).answers = rightAnswers(a);
          },
        },
        {
          method: 'POST',
          setupRequest: (req, ctx) => ({
            ...req,
            body: (ctx as QuizCtx).answers,
            path: `/api/v1/quiz/attempts/${(ctx as QuizCtx).attempt}/submit`,
            headers: json(token((ctx as QuizCtx).user)),
          }),
        },
      ],
    },
    {
      // Issue 17 names the paying request: the submit's own commands and time (other members' starts), alone only.
      // Members half the county away from the line above's (member(i + n/2) = member(i)'s index + n/2, 7919 being
      // odd): with i + 1_000_003 they were its members 3 samples on, who had done today's quiz, so 27 of 30 submits
      // paid nothing (7 commands, no award) and the line's p50 was an unpaid submit's.
      name: 'daily quiz submit alone (pays 5)',
      once: async (b, i) => {
        const { submit, submitMs } = await dailyQuiz(b, i + Math.floor(c.memberIds.length / 2));
        return { commands: submit, ms: submitMs };
      },
    },
    {
      name: 'check-in (cadre, in fence)',
      once: (b, i) => call(`${b}/api/v1/checkins`, { method: 'POST', ...checkin(aloneCadre(i)) }),
      beforeLoad: async () => Object.assign(checkins, { replies: 0, paid: 0 }),
      load: () => [
        {
          method: 'POST',
          path: '/api/v1/checkins',
          setupRequest: (req) => {
            return { ...req, ...checkin(loadCadre(loadCheckins++)) };
          },
          onResponse: (status, body) => {
            checkins.replies += 1;
            if (status === 201 && (JSON.parse(body) as { pointsAwarded?: number }).pointsAwarded! > 0)
              checkins.paid += 1;
          },
        },
      ],
      paying: () => (checkins.replies > 0 ? +(checkins.paid / checkins.replies).toFixed(3) : null),
    },
    {
      // A cadre's check-in again the same day (the alone series' cadres, all paid already): pays nothing.
      name: 'check-in again the same day (pays nothing)',
      once: (b, i) => call(`${b}/api/v1/checkins`, { method: 'POST', ...checkin(aloneCadre(i)) }),
      load: (next) => [
        {
          method: 'POST',
          path: '/api/v1/checkins',
          setupRequest: (req) => {
            return { ...req, ...checkin(cadre(next() % 20)) };
          },
        },
      ],
    },
    {
      name: 'post claim',
      once: (b, i) => call(`${b}/api/v1/posts/${c.postId}/claims`, { method: 'POST', headers: json(token(member(i))) }),
      load: (next) => [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/posts/${c.postId}/claims`,
            headers: json(token(member(next()))),
          }),
        },
      ],
    },
    {
      name: 'commitment wall (branch)',
      once: (b, i) =>
        call(`${b}/api/v1/commitments/wall?org=${branchOf(i)}&limit=20`, { headers: json(token(member(i))) }),
      load: (next) => [
        {
          setupRequest: (req) => {
            const i = next();
            return {
              ...req,
              path: `/api/v1/commitments/wall?org=${branchOf(i)}&limit=20`,
              headers: json(token(member(i))),
            };
          },
        },
      ],
    },
    {
      name: 'commitment wall (county)',
      once: (b) => call(`${b}/api/v1/commitments/wall?org=${c.countyId}&limit=20`, { headers: json(token(c.adminId)) }),
      load: () => [{ path: `/api/v1/commitments/wall?org=${c.countyId}&limit=20`, headers: json(token(c.adminId)) }],
    },
  ];
}

export function engineCommands(res: Reply): number {
  const n = Number(res.commands ?? NaN);
  if (!Number.isFinite(n))
    throw new Error('no X-Engine-Commands header: run with the test config (engineCommandHeader)');
  return n;
}
