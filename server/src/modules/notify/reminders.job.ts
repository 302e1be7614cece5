import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { dayKey, formatShanghai, shanghaiInstant, type MemberMessage } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { ActivityModel } from '../activities/activities.model';
import { tell } from '../messages/messages.service';
import { RoundModel, VotedModel } from '../reviews/reviews.model';
import { peopleOf } from '../tasks/tasks.service';
import { assignmentKey, assignments, tasks } from '../tasks/tasks.store';

/**
 * The reminders nobody's request triggers (issue 19 item 3), found by a job every few minutes (main.ts):
 * - a task's deadline is tomorrow and the receiver has not reported (from 08:00 Shanghai the day before);
 * - an activity starts within the hour (to its expected members, not those whose leave was approved);
 * - a 民主评议 round opened (within the day) and is closing within the day (to who has not voted yet; only for
 *   rounds open longer than two days, so a short round is announced once).
 * Each goes to 我的 -> 消息 and, with reminders on and consent left, to WeChat.
 *
 * Once per event, across restarts and processes: the event's key (`deadline|<task>|<receiver>` ...) is inserted in
 * `reminder_events` first, and only the process whose insert wins tells anyone. A process that stops between its
 * claim and its `done` leaves the claim pending; after STALE_MS the next run takes it over (one taker wins: the
 * update returns the claim time it replaced) and tells again under the same message id — the member's list shows
 * an id once and WeChat's sender is keyed by id and member, so nothing reaches a phone twice.
 *
 * The candidates are found by scans of tasks, activities and review rounds (FerretDB reads each whole): a
 * background job every REMINDER_EVERY_MS, never a request path; every claim and every tell is by `_id`.
 */
export const REMINDER_EVERY_MS = 5 * 60_000;
const STALE_MS = 10 * 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

interface EventDoc {
  _id: string;
  state: 'pending' | 'done';
  claimedAt: Date;
  doneAt: Date | null;
}
const events = () => mongoose.connection.collection<EventDoc>('reminder_events');

/** True when this process is the one to tell this event. */
export async function claimEvent(key: string, now: Date): Promise<boolean> {
  try {
    await events().insertOne({ _id: key, state: 'pending', claimedAt: now, doneAt: null });
    return true;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const seen = await events().findOne({ _id: key });
  if (!seen || seen.state === 'done' || now.getTime() - new Date(seen.claimedAt).getTime() < STALE_MS) return false;
  const before = await events().findOneAndUpdate(
    { _id: key },
    { $set: { claimedAt: now } },
    { returnDocument: 'before' },
  );
  return before?.state === 'pending' && new Date(before.claimedAt).getTime() === new Date(seen.claimedAt).getTime();
}

/**
 * How long a claim is kept. No run asks for an event again this long after claiming it: a deadline is asked for the
 * day before, an activity in the hour before it starts, a review round on the day it opens and the day it closes, a
 * county's scorecard in the quarter after the one it scores (up to ~92 days). Without pruning the collection grows by
 * a claim per reminder for ever.
 */
export const EVENT_KEEP_MS = 200 * DAY_MS;

/** Deletes the claims older than EVENT_KEEP_MS (a scan: the daily background run, never a request). */
export async function pruneEvents(now: Date): Promise<number> {
  const { deletedCount } = await events().deleteMany({ claimedAt: { $lt: new Date(now.getTime() - EVENT_KEEP_MS) } });
  return deletedCount;
}

/** The claimed event is done: no run takes it over again. */
export async function finishEvent(key: string): Promise<void> {
  await events().updateOne({ _id: key }, { $set: { state: 'done', doneAt: new Date() } });
}

async function remind(userIds: string[], message: Omit<MemberMessage, 'at'>, now: Date): Promise<boolean> {
  if (userIds.length === 0 || !(await claimEvent(message.id, now))) return false;
  await tell(userIds, message, now, { awaitSends: true });
  await finishEvent(message.id);
  return true;
}

async function deadlineTomorrow(now: Date): Promise<number> {
  if (now < shanghaiInstant(dayKey(now), '08:00:00')) return 0;
  const tomorrow = dayKey(now.getTime() + DAY_MS);
  let told = 0;
  for (const task of await tasks().find({ deadline: tomorrow }).toArray()) {
    for (const receiverId of task.receiverIds) {
      const a = await assignments.peek(assignmentKey(task._id, receiverId));
      if (!a || (a.status !== 'todo' && a.status !== 'returned')) continue;
      const people = await peopleOf(task.receiverKind, [{ id: receiverId, name: a.receiverName }]);
      const message = {
        id: `deadline|${task._id}|${receiverId}`,
        kind: 'task_deadline' as const,
        title: `任务明天截止：${task.title}`,
        text: `截止${task.deadline} 23:59，请及时上报`,
        ref: `task:${task._id}`,
      };
      if (await remind(people, message, now)) told += 1;
    }
  }
  return told;
}

interface SoonActivity {
  _id: string;
  title: string;
  branchName: string;
  startsAt: Date;
  expected: Record<string, string>;
  leaves: Record<string, { status?: string }>;
}

async function activitiesSoon(now: Date): Promise<number> {
  const soon = await ActivityModel.find(
    { startsAt: { $gt: now, $lte: new Date(now.getTime() + HOUR_MS) }, cancelled: null },
    { title: 1, branchName: 1, startsAt: 1, expected: 1, leaves: 1 },
  ).lean<SoonActivity[]>();
  let told = 0;
  for (const a of soon) {
    const leaves = a.leaves ?? {};
    const people = Object.keys(a.expected ?? {}).filter((id) => leaves[id]?.status !== 'approved');
    const message = {
      // A rescheduled activity is a new event: its new start is reminded too.
      id: `activity|${a._id}|${new Date(a.startsAt).toISOString()}`,
      kind: 'activity_soon' as const,
      title: `活动即将开始：${a.title}`,
      text: `${formatShanghai(a.startsAt, 'HH:mm')}开始 · ${a.branchName}`,
      ref: `activity:${a._id}`,
    };
    if (await remind(people, message, now)) told += 1;
  }
  return told;
}

interface OpenRound {
  _id: string;
  branchName: string;
  year: number;
  openedAt: Date;
  closesAt: Date;
  members: { id: string; name: string }[];
}

/** 民主评议 rounds, read only (the reviews module owns them): opened today, closing within the day. */
async function reviewRounds(now: Date): Promise<{ opened: number; closing: number }> {
  const open = await RoundModel.find(
    { closedAt: null, closesAt: { $gt: now } },
    { branchName: 1, year: 1, openedAt: 1, closesAt: 1, members: 1 },
  ).lean<OpenRound[]>();
  const counts = { opened: 0, closing: 0 };
  for (const r of open) {
    const members = (r.members ?? []).map((m) => m.id);
    const closes = formatShanghai(r.closesAt, 'M月D日 HH:mm');
    if (now.getTime() - new Date(r.openedAt).getTime() < DAY_MS) {
      const opened = await remind(
        members,
        {
          id: `review_open|${r._id}`,
          kind: 'review_open',
          title: `${r.year}年度民主评议已开始`,
          text: `${r.branchName} · ${closes}截止`,
          ref: `review:${r._id}`,
        },
        now,
      );
      if (opened) counts.opened += 1;
    }
    const closesAt = new Date(r.closesAt).getTime();
    if (closesAt - now.getTime() > DAY_MS || closesAt - new Date(r.openedAt).getTime() <= 2 * DAY_MS) continue;
    // Who has not voted: one key read each (`${round}|${member}` exists once they voted).
    const voted = await Promise.all(members.map((id) => VotedModel.exists({ _id: `${r._id}|${id}` })));
    const yet = members.filter((_, i) => voted[i] === null);
    const closing = await remind(
      yet,
      {
        id: `review_closing|${r._id}`,
        kind: 'review_closing',
        title: `${r.year}年度民主评议即将截止`,
        text: `${r.branchName} · ${closes}截止，您尚未投票`,
        ref: `review:${r._id}`,
      },
      now,
    );
    if (closing) counts.closing += 1;
  }
  return counts;
}

export interface ReminderRun {
  deadlines: number;
  activities: number;
  reviewsOpened: number;
  reviewsClosing: number;
}

/** One run: every reminder due at `now` that no run has told yet. */
export async function runReminders(now = new Date()): Promise<ReminderRun> {
  const deadlines = await deadlineTomorrow(now);
  const activities = await activitiesSoon(now);
  const reviews = await reviewRounds(now);
  return { deadlines, activities, reviewsOpened: reviews.opened, reviewsClosing: reviews.closing };
}

/**
 * Now, then every REMINDER_EVERY_MS (main.ts); the timer does not hold the process open; runs never overlap. Once a
 * day a run also prunes old claims.
 */
export function scheduleReminders(logger: Logger): NodeJS.Timeout {
  let running = false;
  let prunedAt = 0;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const r = await runReminders();
      if (Object.values(r).some((n) => n > 0)) logger.info(r, 'reminders told');
      if (Date.now() - prunedAt >= DAY_MS) {
        prunedAt = Date.now();
        const pruned = await pruneEvents(new Date());
        if (pruned > 0) logger.info({ pruned }, 'reminders: old claims pruned');
      }
    } catch (err) {
      logger.warn({ err }, 'reminder run failed; it runs again in a few minutes');
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), REMINDER_EVERY_MS);
  timer.unref();
  return timer;
}
