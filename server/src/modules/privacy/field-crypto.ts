import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { DEV_DATA_KEYS, DEV_LOOKUP_KEY, type Config } from '../../../../config';

/**
 * Personal fields at rest (issue 24): members' phone numbers and residents' contacts are stored as
 * `v1:<keyId>:<iv>:<tag>:<ciphertext>` (AES-256-GCM, a random 96-bit IV per value, base64), so a copy of the
 * database file shows no number. Key lookups by phone use a keyed HMAC of the normalised number instead of the
 * number (`phoneLookup`). Keys come from configuration (config/index.ts: DATA_KEYS, PHONE_LOOKUP_KEY).
 */
export interface Keyring {
  /** Encrypts every new value. */
  current: { id: string; key: Buffer };
  /** Every key by id: the current one and older ones still decrypting while a rotation runs. */
  byId: Map<string, Buffer>;
  lookup: Buffer;
}

const VERSION = 'v1';
let ring: Keyring | null = null;

export function keyringOf(config: Pick<Config, 'dataKeys' | 'lookupKey'>): Keyring {
  const [current] = config.dataKeys;
  if (!current) throw new Error('DATA_KEYS holds no key');
  return { current, byId: new Map(config.dataKeys.map((k) => [k.id, k.key])), lookup: config.lookupKey };
}

/** Set once at start-up (main.ts, createApp, one-off jobs); tests switch keyrings to rotate. */
export function useKeyring(next: Keyring): void {
  ring = next;
}

/** True when the keys are the public development ones (start-up says so). */
export function usesDevKeys(config: Pick<Config, 'dataKeys' | 'lookupKey'>): boolean {
  return (
    config.dataKeys.some((k) => `${k.id}:${k.key.toString('base64')}` === DEV_DATA_KEYS) ||
    config.lookupKey.toString('base64') === DEV_LOOKUP_KEY
  );
}

function keyring(): Keyring {
  if (ring) return ring;
  // Production loads its keys before any request (config refuses to start without them); anything else that
  // touches a field before start-up (a unit test, a script) uses the development keys.
  if (process.env.NODE_ENV === 'production') throw new Error('data keys are not loaded');
  const [id, b64] = DEV_DATA_KEYS.split(':') as [string, string];
  ring = {
    current: { id, key: Buffer.from(b64, 'base64') },
    byId: new Map([[id, Buffer.from(b64, 'base64')]]),
    lookup: Buffer.from(DEV_LOOKUP_KEY, 'base64'),
  };
  return ring;
}

export const currentKeyId = (): string => keyring().current.id;

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(`${VERSION}:`) && value.split(':').length === 5;
}

/** The key id a sealed value was written with; null for a clear value. */
export const keyIdOf = (value: unknown): string | null => (isSealed(value) ? value.split(':')[1]! : null);

export function seal(plain: string): string {
  const { id, key } = keyring().current;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, id, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(
    ':',
  );
}

/** Empty stays null; a value already sealed is kept (a migration run twice seals once). */
export function sealOrNull(plain: string | null | undefined): string | null {
  if (plain === null || plain === undefined || plain === '') return null;
  return isSealed(plain) ? plain : seal(plain);
}

/**
 * The clear value. A value that is not sealed is returned as it is: data written before encryption, until the
 * migration job (jobs/seal-personal-data.ts) has sealed it. A sealed value under an unknown key or tampered with
 * throws (GCM's tag): a wrong key must not read as an empty field.
 */
export function unseal(stored: string | null | undefined): string | null {
  if (stored === null || stored === undefined) return null;
  if (!isSealed(stored)) return stored;
  const [, id, iv, tag, body] = stored.split(':') as [string, string, string, string, string];
  const key = keyring().byId.get(id);
  if (!key) throw new Error(`data key "${id}" is not configured (DATA_KEYS)`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
}

/** 138 1234 5678, 138-1234-5678, +86 13812345678 and 8613812345678 are one number. */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

/** The key of a phone in lookups (roster row ids): HMAC-SHA256 under the lookup key, 128 bits in hex. */
export function phoneLookup(phone: string): string {
  return createHmac('sha256', keyring().lookup).update(normalisePhone(phone)).digest('hex').slice(0, 32);
}

/** The last four digits kept beside a sealed phone for 党员管理's search by tail (lists show them anyway). */
export function phoneTail(phone: string | null | undefined): string | null {
  const digits = phone ? normalisePhone(phone) : '';
  return digits.length >= 4 ? digits.slice(-4) : null;
}

/** A member's contact as stored: sealed, with its tail (`identity.contact`, `identity.contactTail`). */
export function sealedContact(contact: string | null | undefined): {
  contact: string | null;
  contactTail: string | null;
} {
  const clear = unseal(contact ?? null);
  return { contact: sealOrNull(clear), contactTail: phoneTail(clear) };
}
