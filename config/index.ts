import { createHash } from 'node:crypto';
import { isIPv4 } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { development } from './development';
import { production } from './production';
import { test } from './test';

/** Never valid in production: the service refuses to start with it. */
export const DEFAULT_JWT_SECRET = 'pioneer-dev-secret-do-not-use-in-production';

/**
 * Development and test only (public in this repository, refused by production): the AES-256-GCM key of personal
 * fields as `<id>:<base64 of 32 bytes>`, and the HMAC key of phone lookups (README "Privacy").
 */
export const DEV_DATA_KEYS = `dev:${createHash('sha256').update('pioneer-dev-data-key').digest('base64')}`;
export const DEV_LOOKUP_KEY = createHash('sha256').update('pioneer-dev-lookup-key').digest('base64');

/** `DATA_KEYS`: `id:base64,id:base64`, the first encrypts, every one decrypts (the older ones while a rotation runs). */
const dataKeys = z.string().transform((text, ctx) => {
  const keys = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id = '', b64 = ''] = entry.split(':');
      return { id, key: Buffer.from(b64, 'base64') };
    });
  const bad = keys.length === 0 || keys.some((k) => !/^[A-Za-z0-9_-]{1,16}$/.test(k.id) || k.key.length !== 32);
  const ids = new Set(keys.map((k) => k.id));
  if (bad || ids.size !== keys.length) {
    ctx.addIssue({
      code: 'custom',
      message: 'DATA_KEYS must be id:base64 of 32 bytes (openssl rand -base64 32), comma-separated, ids unique',
    });
    return z.NEVER;
  }
  return keys;
});
const lookupKey = z.string().transform((text, ctx) => {
  const key = Buffer.from(text, 'base64');
  if (key.length < 32) {
    ctx.addIssue({ code: 'custom', message: 'PHONE_LOOKUP_KEY must be base64 of at least 32 bytes' });
    return z.NEVER;
  }
  return key;
});

const repoRoot = path.resolve(__dirname, '..');

const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'])])
  .transform((v) => v === true || v === 'true' || v === '1');

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: hosts no other machine can connect to. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return isIPv4(v4) && v4.startsWith('127.');
}

const ConfigSchema = z
  .object({
    env: z.enum(['development', 'test', 'production']),
    host: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65535),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    /** Unset: the embedded engine resolver picks a local database (architecture.md "Database"). */
    mongodbUri: z.string().url().optional(),
    dataDir: z.string().min(1),
    jwtSecret: z.string().min(16, 'JWT_SECRET must be at least 16 characters'),
    jwtTtlSeconds: z.coerce.number().int().positive(),
    devLogin: flag,
    seedDemo: flag,
    corsOrigins: z.string().transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
    bodyLimitBytes: z.coerce.number().int().positive(),
    h5Dir: z.string(),
    wechat: z.object({ appId: z.string(), appSecret: z.string(), baseUrl: z.string().url() }),
    /** Photos one member may upload per Shanghai day: a count and a total size (server/src/modules/uploads). */
    uploadFilesPerDay: z.coerce.number().int().positive(),
    uploadBytesPerDay: z.coerce.number().int().positive(),
    /** Requests per minute; 0 turns that limit off. Kept in process memory (see server/src/http/rate-limit.ts). */
    rateLimit: z.object({
      loginPerMinIp: z.coerce.number().int().min(0),
      writesPerMinUser: z.coerce.number().int().min(0),
      writesPerMinIp: z.coerce.number().int().min(0),
      /** GETs per member: generous (a member scrolling boards never meets it), a bound on one account's load. */
      readsPerMinUser: z.coerce.number().int().min(0),
    }),
    /**
     * How many reverse proxies stand in front of the service, each appending to X-Forwarded-For: the client's
     * address is that many entries from the right. 0: the socket's address (any X-Forwarded-For is the
     * client's own words and ignored).
     */
    trustedProxies: z.coerce.number().int().min(0).max(10),
    /** Personal fields at rest (server/src/modules/privacy/field-crypto.ts): encryption keys and the lookup key. */
    dataKeys,
    lookupKey,
    /** `X-Engine-Commands` on each reply (server/src/db/engine-commands.ts): on in the tests and the benchmark. */
    engineCommandHeader: flag,
    /**
     * How long a process serves shared views from memory (server/src/db/shared-view.ts: boards, scope histograms,
     * org names, the bank's version) before reading again; replies from them say `asOf`. At most 2 s.
     */
    sharedViewMs: z.coerce.number().int().min(0).max(2000),
    /** 订阅消息 (issue 19, server/src/modules/notify): on/off, and the template ids from the WeChat console. */
    reminders: z.object({
      enabled: flag,
      templates: z.object({ task: z.string(), deadline: z.string(), activity: z.string(), review: z.string() }),
    }),
  })
  .superRefine((c, ctx) => {
    // The default secret is in this public repository: anyone who can reach the port could sign a token with it.
    if (c.env !== 'production' && c.jwtSecret === DEFAULT_JWT_SECRET && !isLoopbackHost(c.host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwtSecret'],
        message: `the default JWT secret is public: set JWT_SECRET to listen on ${c.host} (only loopback may use it)`,
      });
    }
    if (c.env !== 'production') return;
    if (c.jwtSecret === DEFAULT_JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['jwtSecret'],
        message: 'production refuses the default JWT secret: set JWT_SECRET',
      });
    }
    if (c.dataKeys.some((k) => `${k.id}:${k.key.toString('base64')}` === DEV_DATA_KEYS))
      ctx.addIssue({
        code: 'custom',
        path: ['dataKeys'],
        message: 'production refuses the development data key: set DATA_KEYS (id:base64 of 32 random bytes)',
      });
    if (c.lookupKey.toString('base64') === DEV_LOOKUP_KEY)
      ctx.addIssue({
        code: 'custom',
        path: ['lookupKey'],
        message: 'production refuses the development lookup key: set PHONE_LOOKUP_KEY (base64 of 32 random bytes)',
      });
    if (c.devLogin)
      ctx.addIssue({ code: 'custom', path: ['devLogin'], message: 'production refuses dev login: unset DEV_LOGIN' });
    const missing = Object.entries(c.reminders.templates).filter(([, id]) => !id);
    if (c.reminders.enabled && missing.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['reminders'],
        message: `production with REMINDERS_ENABLED needs every subscribe template id: set ${missing.map(([k]) => `SUBSCRIBE_TEMPLATE_${k.toUpperCase()}`).join(', ')}`,
      });
    if (!c.wechat.appId || !c.wechat.appSecret) {
      ctx.addIssue({
        code: 'custom',
        path: ['wechat'],
        message: 'production needs WECHAT_APP_ID and WECHAT_APP_SECRET',
      });
    }
  });

export type Config = z.infer<typeof ConfigSchema>;
type Env = Record<string, string | undefined>;

const byEnv = { development, test, production } as const;

function defaults(env: keyof typeof byEnv) {
  const forEnv: Partial<Record<string, unknown>> = byEnv[env];
  return {
    env,
    host: '127.0.0.1',
    port: 3000,
    logLevel: 'info',
    dataDir: path.join(repoRoot, '.data'),
    jwtSecret: DEFAULT_JWT_SECRET,
    jwtTtlSeconds: 7 * 24 * 3600,
    // Off unless asked for: a service started without NODE_ENV must not hand out sessions. `npm start` and
    // `npm run dev` set DEV_LOGIN=1; the test config turns it on for the suites.
    devLogin: false,
    seedDemo: env === 'development',
    corsOrigins: 'http://localhost:10086,http://127.0.0.1:10086',
    bodyLimitBytes: 1024 * 1024,
    uploadFilesPerDay: 50,
    uploadBytesPerDay: 100 * 1024 * 1024,
    h5Dir: path.join(repoRoot, 'miniprogram', 'dist', 'h5'),
    wechat: { appId: '', appSecret: '', baseUrl: 'https://api.weixin.qq.com' },
    // A village office or a township's training room shares one NAT address, so the per-IP write limit is
    // ten members' worth of the per-member one; logins are rare (a session lasts a week), so 30 a minute per IP.
    rateLimit: { loginPerMinIp: 30, writesPerMinUser: 60, writesPerMinIp: 600, readsPerMinUser: 600 },
    trustedProxies: 0,
    engineCommandHeader: false,
    sharedViewMs: 1000,
    reminders: { enabled: false, templates: { task: '', deadline: '', activity: '', review: '' } },
    dataKeys: DEV_DATA_KEYS,
    lookupKey: DEV_LOOKUP_KEY,
    ...forEnv,
  };
}

function fromEnvironment(env: Env) {
  const pick = (key: string) => (env[key] === undefined || env[key] === '' ? undefined : env[key]);
  const set = Object.entries({
    host: pick('HOST'),
    port: pick('PORT'),
    logLevel: pick('LOG_LEVEL'),
    mongodbUri: pick('MONGODB_URI'),
    dataDir: pick('DATA_DIR'),
    jwtSecret: pick('JWT_SECRET'),
    jwtTtlSeconds: pick('JWT_TTL_SECONDS'),
    devLogin: pick('DEV_LOGIN'),
    seedDemo: pick('SEED_DEMO'),
    corsOrigins: pick('CORS_ORIGINS'),
    bodyLimitBytes: pick('BODY_LIMIT_BYTES'),
    uploadFilesPerDay: pick('UPLOAD_FILES_PER_DAY'),
    uploadBytesPerDay: pick('UPLOAD_BYTES_PER_DAY'),
    h5Dir: pick('H5_DIR'),
    trustedProxies: pick('TRUSTED_PROXIES'),
    engineCommandHeader: pick('ENGINE_COMMAND_HEADER'),
    sharedViewMs: pick('SHARED_VIEW_MS'),
    dataKeys: pick('DATA_KEYS'),
    lookupKey: pick('PHONE_LOOKUP_KEY'),
  }).filter(([, v]) => v !== undefined);
  return Object.fromEntries(set);
}

/** Defaults, then the NODE_ENV file, then environment variables; validated once. Throws with every problem listed. */
export function loadConfig(env: Env = process.env, overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  const name = (env.NODE_ENV ?? 'development') as keyof typeof byEnv;
  if (!(name in byEnv)) throw new Error(`NODE_ENV must be development, test or production, not ${name}`);
  const base = defaults(name);
  const wechat = {
    ...base.wechat,
    ...(env.WECHAT_APP_ID ? { appId: env.WECHAT_APP_ID } : {}),
    ...(env.WECHAT_APP_SECRET ? { appSecret: env.WECHAT_APP_SECRET } : {}),
    ...(env.WECHAT_API_BASE ? { baseUrl: env.WECHAT_API_BASE } : {}),
  };
  const rateLimit = {
    ...base.rateLimit,
    ...(env.RATE_LIMIT_LOGIN_PER_MIN ? { loginPerMinIp: env.RATE_LIMIT_LOGIN_PER_MIN } : {}),
    ...(env.RATE_LIMIT_WRITES_PER_MIN_USER ? { writesPerMinUser: env.RATE_LIMIT_WRITES_PER_MIN_USER } : {}),
    ...(env.RATE_LIMIT_WRITES_PER_MIN_IP ? { writesPerMinIp: env.RATE_LIMIT_WRITES_PER_MIN_IP } : {}),
    ...(env.RATE_LIMIT_READS_PER_MIN_USER ? { readsPerMinUser: env.RATE_LIMIT_READS_PER_MIN_USER } : {}),
  };
  const reminders = {
    enabled: env.REMINDERS_ENABLED || base.reminders.enabled,
    templates: Object.fromEntries(
      Object.entries(base.reminders.templates).map(([k, v]) => [k, env[`SUBSCRIBE_TEMPLATE_${k.toUpperCase()}`] || v]),
    ),
  };
  const parsed = ConfigSchema.safeParse({
    ...base,
    ...fromEnvironment(env),
    wechat,
    rateLimit,
    reminders,
    ...overrides,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
