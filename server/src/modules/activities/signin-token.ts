import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import QRCode from 'qrcode';
import { ACTIVITY_RULES, type QrReply } from '@pioneer/shared';
import { AppError } from '../../http/errors';
import { ActivityCodeTriesModel } from './activities.model';

/**
 * The rotating sign-in token of an activity: a signed JWT per 30 s slot (what the QR code carries and WeChat's
 * scanner hands back), a 6-digit code derived from the same slot (typed where there is no camera), and the QR
 * image itself. Pure functions of (secret, activity, clock): nothing is stored, any server process agrees.
 */
export type SlotToken = Omit<QrReply, 'qrDataUrl'>;

/**
 * The secret as a KeyObject, made once per secret: given a string, jsonwebtoken 9 first tries it as a PEM public key
 * on every sign and verify (which throws), ~370 µs of CPU a call (as for the session tokens, http/auth.ts).
 */
const keys = new Map<string, KeyObject>();
function keyOf(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

const slotOf = (at: Date) => Math.floor(at.getTime() / 1000 / ACTIVITY_RULES.qrSlotSeconds);

/** The token of the slot `now` is in: the same for 30 s, accepted until the end of the next slot. */
export function qrToken(secret: string, activityId: string, now = new Date()): SlotToken {
  const slot = slotOf(now);
  const iat = slot * ACTIVITY_RULES.qrSlotSeconds;
  const token = jwt.sign(
    { typ: 'activity-qr', a: activityId, s: slot, iat, exp: iat + ACTIVITY_RULES.qrValidSeconds },
    keyOf(secret),
    { algorithm: 'HS256' },
  );
  return {
    token,
    code: slotCode(secret, activityId, slot),
    expiresAt: new Date((iat + ACTIVITY_RULES.qrSlotSeconds) * 1000).toISOString(),
  };
}

/** The short code of a slot: 6 digits of an HMAC over activity and slot. */
export function slotCode(secret: string, activityId: string, slot: number): string {
  const n = createHmac('sha256', secret).update(`activity-code|${activityId}|${slot}`).digest().readUInt32BE(0);
  return String(n % 1_000_000).padStart(6, '0');
}

/**
 * A typed code, at most `codeTriesMax` tries per member and activity. The try is counted before the code is
 * looked at, by one atomic `$inc` that returns the new count: counting after a wrong guess (read, compare,
 * increment) let concurrent guesses all read the same count and exceed the limit.
 */
export async function checkCode(
  secret: string,
  code: string,
  activityId: string,
  userId: string,
  now: Date,
): Promise<void> {
  const tries = await ActivityCodeTriesModel.findOneAndUpdate(
    { _id: `${activityId}|${userId}` },
    { $inc: { n: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean<{ n: number }>();
  if ((tries?.n ?? Infinity) > ACTIVITY_RULES.codeTriesMax)
    throw new AppError('TOKEN_EXPIRED', '签到码错误次数过多，请扫码签到或请书记补录');
  const slot = slotOf(now);
  if (code === slotCode(secret, activityId, slot) || code === slotCode(secret, activityId, slot - 1)) return;
  throw new AppError('TOKEN_EXPIRED', '签到码已过期或不正确，请输入书记屏幕上的最新签到码');
}

export function checkQrToken(secret: string, token: string, activityId: string, now = new Date()): void {
  try {
    const payload = jwt.verify(token, keyOf(secret), {
      algorithms: ['HS256'],
      clockTimestamp: Math.floor(now.getTime() / 1000),
    }) as { typ?: string; a?: string; s?: number };
    if (
      payload.typ === 'activity-qr' &&
      payload.a === activityId &&
      typeof payload.s === 'number' &&
      payload.s <= slotOf(now)
    )
      return;
  } catch {
    // expired, forged or not a token at all: all the same to the member
  }
  throw new AppError('TOKEN_EXPIRED', '二维码已过期或不属于本次活动，请扫描书记屏幕上的最新二维码');
}

/**
 * The secretary's page asks every 5 s, but a token changes only every 30 s: drawing it costs tens of ms of CPU,
 * so the last few images are kept (a token is the whole input, so a cached image is never stale).
 */
const drawn = new Map<string, Promise<string>>();
const DRAWN_MAX = 64;

/** The token as a PNG data URL. Level M survives a phone screen's glare; width 480 stays sharp when enlarged. */
export function qrDataUrl(token: string): Promise<string> {
  let image = drawn.get(token);
  if (!image) {
    image = QRCode.toDataURL(token, { errorCorrectionLevel: 'M', margin: 1, width: 480 });
    image.catch(() => drawn.delete(token));
    if (drawn.size >= DRAWN_MAX) drawn.delete(drawn.keys().next().value!);
    drawn.set(token, image);
  }
  return image;
}

export async function qrReply(secret: string, activityId: string, now = new Date()): Promise<QrReply> {
  const slot = qrToken(secret, activityId, now);
  return { ...slot, qrDataUrl: await qrDataUrl(slot.token) };
}
