import mongoose from 'mongoose';
import type { MemberMessage } from '@pioneer/shared';
import { subscribeAfterTell } from '../notify/notify';

/**
 * 我的 -> 消息 (issue 19 item 4): everything a member was told (a notice, a reminder, a task assigned, returned or
 * accepted), whether or not WeChat delivered it. One document per member, `_id` the member's id, so the list is a
 * key read; each message is one `$push` by `_id` keeping the newest MESSAGES_KEPT.
 */
export const MESSAGES_KEPT = 200;

interface InboxDoc {
  _id: string;
  items: (Omit<MemberMessage, 'at'> & { at: Date })[];
}
const inbox = () => mongoose.connection.collection<InboxDoc>('member_messages');

/** Tells each member the same thing. Callers make the event happen once (a receipt, a move, a reminder key). */
export async function tell(
  userIds: readonly string[],
  message: Omit<MemberMessage, 'at'>,
  now = new Date(),
  opts: { awaitSends?: boolean } = {},
): Promise<void> {
  const item = { ...message, at: now };
  // One key update each; a county-wide notice reaches a few thousand members, written in parallel batches.
  for (let i = 0; i < userIds.length; i += 50) {
    await Promise.all(
      userIds
        .slice(i, i + 50)
        .map((id) =>
          inbox().updateOne(
            { _id: id },
            { $push: { items: { $each: [item], $slice: -MESSAGES_KEPT } } },
            { upsert: true },
          ),
        ),
    );
  }
  const sends = subscribeAfterTell(userIds, message);
  if (opts.awaitSends) await sends;
}

export async function listMessages(userId: string): Promise<{ items: MemberMessage[] }> {
  const doc = await inbox().findOne({ _id: userId });
  const seen = new Set<string>();
  const items: MemberMessage[] = [];
  // Newest first, each id once: a reminder a stopped process had half told is told again by the next run under
  // the same id (reminders.job.ts), and the member sees it once.
  for (const m of [...(doc?.items ?? [])].reverse()) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    items.push({ ...m, at: new Date(m.at).toISOString() });
  }
  return { items };
}
