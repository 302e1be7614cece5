import type { MemberMessage, SubscribeConsentBody, SubscribeTemplate } from '@pioneer/shared';
import type { Config } from '../../../../config';
import { AppError, forbidden, invalid } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { codeToOpenid } from '../auth/wechat.client';
import { LoginModel } from '../users/users.model';
import { consents, recordConsent, sendSubscribe } from './subscribe.service';

/**
 * Reminders that reach a phone (issue 19): what the member consented to (with who they are on WeChat), and the
 * sender behind 我的 -> 消息 — every message told to a member (messages.service.ts `tell`) whose kind has a
 * template goes out as a subscribe message too, when the config turns reminders on.
 */
let config: Config | null = null;

/** Set once by createApp (like the keyring): the service modules call `subscribeAfterTell` without a config. */
export function useReminders(c: Config): void {
  config = c;
}

const TEMPLATE_OF: Partial<Record<MemberMessage['kind'], SubscribeTemplate>> = {
  task: 'task',
  task_returned: 'task',
  task_accepted: 'task',
  task_deadline: 'deadline',
  activity_soon: 'activity',
  review_open: 'review',
  review_closing: 'review',
  commitment_reviewed: 'review',
  checkin_reviewed: 'review',
};

/** The mini-program page a message opens, from what it is about (`ref`). */
function pageOf(ref: string): string {
  const [kind, id = ''] = ref.split(':');
  if (kind === 'activity') return `pages/activity/index?id=${encodeURIComponent(id)}`;
  if (kind === 'review') return 'pages/review-vote/index';
  if (kind === 'notice') return `pages/notice/index?id=${encodeURIComponent(id)}`;
  if (kind === 'commitment') return 'pages/identity/index';
  if (kind === 'checkin') return 'pages/checkin-calendar/index';
  return 'pages/tasks/index';
}

/** Records consent: the code proves which WeChat user is asking, and it must be the signed-in member's own login. */
export async function consent(c: Config, actor: SessionUser, body: SubscribeConsentBody) {
  // A stale code is not a stale session: 400, not WeChat login's 401 (the app would sign the member out).
  const openid = await codeToOpenid(c.wechat, body.code).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'WECHAT_CODE_INVALID') throw invalid('微信凭证已失效，请重试');
    throw err;
  });
  const login = await LoginModel.findById(`wx:${openid}`).lean<{ userId: string }>();
  if (login?.userId !== actor.id) throw forbidden('当前微信与登录账号不一致，请重新进入小程序');
  await consents().updateOne({ _id: actor.id }, { $set: { openid } }, { upsert: true });
  await recordConsent(actor.id, body.accepted);
  const doc = await consents().findOne({ _id: actor.id });
  return { counts: doc?.counts ?? {} };
}

/** What the app needs to ask for consent: whether reminders are on, their template ids, what the member has left. */
export async function subscriptionState(c: Config, actor: SessionUser) {
  const counts = (await consents().findOne({ _id: actor.id }))?.counts ?? {};
  return { enabled: c.reminders.enabled, templates: c.reminders.enabled ? c.reminders.templates : {}, counts };
}

/**
 * Sends the message to each member who consented, in the background: the request that caused it does not wait
 * (the scheduled reminders do, through the promise). Never rejects.
 */
export function subscribeAfterTell(userIds: readonly string[], message: Omit<MemberMessage, 'at'>): Promise<void> {
  const c = config;
  const template = TEMPLATE_OF[message.kind];
  if (!c?.reminders.enabled || !template) return Promise.resolve();
  return Promise.all(
    userIds.map(async (userId) => {
      const openid = (await consents().findOne({ _id: userId }))?.openid;
      if (!openid) return;
      await sendSubscribe(
        { wechat: c.wechat, templates: c.reminders.templates },
        {
          eventKey: `${message.id}|${userId}`,
          userId,
          openid,
          template,
          page: pageOf(message.ref),
          data: { thing1: { value: message.title.slice(0, 20) }, thing2: { value: message.text.slice(0, 20) } },
        },
      );
    }),
  ).then(
    () => undefined,
    () => undefined, // recorded per event in subscribe_sends; a failure never fails the caller
  );
}
