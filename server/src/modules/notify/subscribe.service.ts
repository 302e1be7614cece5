import mongoose from 'mongoose';
import type { SubscribeTemplate } from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { accessToken, forgetAccessToken, type WechatConfig } from '../auth/wechat.client';

/**
 * 订阅消息 (issue 19 item 3), the sender side: WeChat's `subscribeMessage.send`, where each message a member agreed
 * to (wx.requestSubscribeMessage, one "accept" = one message of that template) is spent once.
 *
 * - one send per event key: the key (`task|<id>|<receiver>|assigned`) is inserted first; a duplicate means the event
 *   was already handled, whatever its outcome, so a retried trigger never sends twice;
 * - consent is a count per member and template, spent by one `$inc` by `_id` (given back when there was none);
 * - the access token is cached (wechat.client.ts) and refetched once when WeChat answers 40001/42001;
 * - 43101 (the member has no subscription left / refused) is recorded, the member's count for it set to 0, and never
 *   retried; busy answers (-1, 45009) and network failures are retried with backoff a few times, then recorded.
 */

export interface SubscribeConfig {
  wechat: WechatConfig;
  /** Template ids from the WeChat console, by what they announce. */
  templates: Partial<Record<SubscribeTemplate, string>>;
  attempts?: number;
  backoffMs?: number;
}

export type SendOutcome = 'sent' | 'duplicate' | 'no_template' | 'no_consent' | 'refused' | 'failed';

export interface SubscribeMessage {
  eventKey: string;
  userId: string;
  openid: string;
  template: SubscribeTemplate;
  /** The mini-program page it opens (`pages/tasks/index`). */
  page: string;
  /** The template's fields: `{ thing1: { value: '...' }, time2: { value: '...' } }`. */
  data: Record<string, { value: string }>;
}

interface SendDoc {
  _id: string;
  userId: string;
  template: SubscribeTemplate;
  status: 'pending' | Exclude<SendOutcome, 'duplicate'>;
  attempts: number;
  errcode: number | null;
  at: Date;
  doneAt: Date | null;
}
const sends = () => mongoose.connection.collection<SendDoc>('subscribe_sends');
/** Per member (`_id`): their openid (from the code sent with the consent) and the messages left per template. */
export const consents = () =>
  mongoose.connection.collection<{
    _id: string;
    openid?: string;
    counts?: Partial<Record<SubscribeTemplate, number>>;
  }>('subscribe_consents');

/** Errcodes worth another try: system busy, too many calls a minute, our own network failure (-2). */
const RETRYABLE = new Set([-1, -2, 45009]);
const TOKEN_REFUSED = new Set([40001, 42001]);
/** The member has no subscription left for the template (refused, or spent elsewhere). */
const REFUSED = 43101;

/** What the member accepted in wx.requestSubscribeMessage: one more message of each. */
export async function recordConsent(userId: string, accepted: readonly SubscribeTemplate[]): Promise<void> {
  if (accepted.length === 0) return;
  const inc: Record<string, number> = {};
  for (const t of accepted) inc[`counts.${t}`] = (inc[`counts.${t}`] ?? 0) + 1;
  await consents().updateOne({ _id: userId }, { $inc: inc }, { upsert: true });
}

export async function consentLeft(userId: string, template: SubscribeTemplate): Promise<number> {
  return (await consents().findOne({ _id: userId }))?.counts?.[template] ?? 0;
}

/** Spends one consent: true when there was one. Racing spends of the last one: one wins. */
async function takeConsent(userId: string, template: SubscribeTemplate): Promise<boolean> {
  const field = `counts.${template}`;
  const before = await consents().findOneAndUpdate(
    { _id: userId },
    { $inc: { [field]: -1 } },
    { returnDocument: 'before' },
  );
  if ((before?.counts?.[template] ?? 0) > 0) return true;
  if (before) await consents().updateOne({ _id: userId }, { $inc: { [field]: 1 } });
  return false;
}

async function post(cfg: SubscribeConfig, templateId: string, msg: SubscribeMessage): Promise<number> {
  try {
    const url = new URL('/cgi-bin/message/subscribe/send', cfg.wechat.baseUrl);
    url.search = new URLSearchParams({ access_token: await accessToken(cfg.wechat) }).toString();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ touser: msg.openid, template_id: templateId, page: msg.page, data: msg.data }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return -2;
    return ((await response.json()) as { errcode?: number }).errcode ?? 0;
  } catch {
    return -2;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends one subscribe message for one event, at most once; returns what happened (also stored under the key). */
export async function sendSubscribe(
  cfg: SubscribeConfig,
  msg: SubscribeMessage,
  now = new Date(),
): Promise<SendOutcome> {
  try {
    await sends().insertOne({
      _id: msg.eventKey,
      userId: msg.userId,
      template: msg.template,
      status: 'pending',
      attempts: 0,
      errcode: null,
      at: now,
      doneAt: null,
    });
  } catch (err) {
    if (isDuplicateKey(err)) return 'duplicate';
    throw err;
  }
  const finish = async (status: SendDoc['status'], attempts: number, errcode: number | null) => {
    await sends().updateOne({ _id: msg.eventKey }, { $set: { status, attempts, errcode, doneAt: new Date() } });
    return status as SendOutcome;
  };
  const templateId = cfg.templates[msg.template];
  if (!templateId) return finish('no_template', 0, null);
  if (!(await takeConsent(msg.userId, msg.template))) return finish('no_consent', 0, null);

  const attempts = cfg.attempts ?? 3;
  let refreshed = false;
  let errcode = 0;
  let tries = 0;
  while (tries < attempts) {
    tries += 1;
    errcode = await post(cfg, templateId, msg);
    if (errcode === 0) return finish('sent', tries, 0);
    if (TOKEN_REFUSED.has(errcode) && !refreshed) {
      // The cached token went stale: fetch a new one and try again, once, without counting it as an attempt.
      forgetAccessToken(cfg.wechat);
      refreshed = true;
      tries -= 1;
      continue;
    }
    if (errcode === REFUSED) {
      await consents().updateOne({ _id: msg.userId }, { $set: { [`counts.${msg.template}`]: 0 } });
      return finish('refused', tries, errcode);
    }
    if (!RETRYABLE.has(errcode)) break;
    if (tries < attempts) await sleep((cfg.backoffMs ?? 500) * 2 ** (tries - 1));
  }
  return finish('failed', tries, errcode);
}
