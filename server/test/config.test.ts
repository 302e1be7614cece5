import { DEFAULT_JWT_SECRET, DEV_DATA_KEYS, DEV_LOOKUP_KEY, loadConfig } from '../../config';

/** Keys of personal data at rest (issue 24): what production must be given. */
const KEYS = {
  DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  PHONE_LOOKUP_KEY: Buffer.alloc(32, 9).toString('base64'),
};
/** Everything production must be given, and nothing else: it starts. */
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-long-production-secret-value',
  WECHAT_APP_ID: 'wx1',
  WECHAT_APP_SECRET: 's',
  ...KEYS,
};

describe('configuration', () => {
  test('when production starts with the default JWT secret, then it refuses', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', WECHAT_APP_ID: 'a', WECHAT_APP_SECRET: 'b' })).toThrow(
      /default JWT secret/,
    );
  });

  test('when production turns dev login on, then it refuses', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        JWT_SECRET: 'a-long-production-secret-value',
        DEV_LOGIN: 'true',
        WECHAT_APP_ID: 'a',
        WECHAT_APP_SECRET: 'b',
      }),
    ).toThrow(/dev login/);
  });

  test('when production has a secret, WeChat keys and no dev login, then it starts without dev login or demo data', () => {
    const config = loadConfig(PRODUCTION);
    expect(config).toMatchObject({ env: 'production', devLogin: false, seedDemo: false, host: '0.0.0.0' });
    expect(config.jwtSecret).not.toBe(DEFAULT_JWT_SECRET);
  });

  test('when production has no data keys of its own, then it refuses and names both (issue 24)', () => {
    const env = {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-long-production-secret-value',
      WECHAT_APP_ID: 'a',
      WECHAT_APP_SECRET: 'b',
    };
    expect(() => loadConfig(env)).toThrow(/DATA_KEYS.*PHONE_LOOKUP_KEY/s);
    expect(() => loadConfig({ ...env, DATA_KEYS: DEV_DATA_KEYS, PHONE_LOOKUP_KEY: KEYS.PHONE_LOOKUP_KEY })).toThrow(
      /development data key/,
    );
    expect(() => loadConfig({ ...env, DATA_KEYS: KEYS.DATA_KEYS, PHONE_LOOKUP_KEY: DEV_LOOKUP_KEY })).toThrow(
      /development lookup key/,
    );
    expect(loadConfig({ ...env, ...KEYS }).dataKeys).toEqual([{ id: 'k1', key: Buffer.alloc(32, 7) }]);
  });

  test('when data keys are malformed, then it says how to make one; a rotation lists the new key first', () => {
    for (const bad of ['k1:c2hvcnQ=', 'no-colon', 'bad id!:' + Buffer.alloc(32).toString('base64'), 'a:x,a:y'])
      expect(() => loadConfig({ DATA_KEYS: bad })).toThrow(/DATA_KEYS must be id:base64 of 32 bytes/);
    expect(() => loadConfig({ PHONE_LOOKUP_KEY: 'c2hvcnQ=' })).toThrow(/PHONE_LOOKUP_KEY/);
    const two = `k2:${Buffer.alloc(32, 2).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`;
    expect(loadConfig({ DATA_KEYS: two }).dataKeys.map((k) => k.id)).toEqual(['k2', 'k1']);
    // Development and tests use the public development keys unless told otherwise.
    expect(loadConfig({}).dataKeys[0]!.id).toBe('dev');
  });

  test('when nothing sets NODE_ENV or DEV_LOGIN, then dev login is off and the demo seed is on', () => {
    expect(loadConfig({})).toMatchObject({ env: 'development', devLogin: false, seedDemo: true, port: 3000 });
    expect(loadConfig({ NODE_ENV: 'development' }).devLogin).toBe(false);
  });

  test('when DEV_LOGIN=1 (what npm start sets), then dev login is on', () => {
    expect(loadConfig({ DEV_LOGIN: '1' }).devLogin).toBe(true);
    expect(loadConfig({ NODE_ENV: 'development', DEV_LOGIN: 'true' }).devLogin).toBe(true);
  });

  test.each(['0.0.0.0', '::', '192.168.1.20', 'pioneer.example.cn', '128.0.0.1'])(
    'when HOST=%s keeps the public default JWT secret, then it refuses',
    (host) => {
      expect(() => loadConfig({ HOST: host })).toThrow(/default JWT secret is public/);
      expect(() => loadConfig({ NODE_ENV: 'test', HOST: host })).toThrow(/default JWT secret is public/);
    },
  );

  test.each(['127.0.0.1', '127.8.0.1', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1'])(
    'when HOST=%s (loopback) keeps the default JWT secret, then it starts',
    (host) => {
      expect(loadConfig({ HOST: host }).host).toBe(host);
    },
  );

  test('when HOST is not loopback and JWT_SECRET is set, then it starts', () => {
    expect(loadConfig({ HOST: '0.0.0.0', JWT_SECRET: 'a-long-development-secret' })).toMatchObject({
      host: '0.0.0.0',
      devLogin: false,
    });
  });

  test('when an environment value is malformed, then every problem is named', () => {
    expect(() => loadConfig({ PORT: 'eighty', MONGODB_URI: 'not a url' })).toThrow(
      /port.*mongodbUri|mongodbUri.*port/s,
    );
  });

  test('when NODE_ENV is unknown, then it refuses', () => {
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  test('when nothing sets rate limits, then production has generous per-address and per-member limits', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.rateLimit).toEqual({
      loginPerMinIp: 30,
      writesPerMinUser: 60,
      writesPerMinIp: 600,
      readsPerMinUser: 600,
    });
    expect(config.trustedProxies).toBe(0);
  });

  test('when RATE_LIMIT_* are set, then they replace the defaults and 0 is accepted as off', () => {
    const config = loadConfig({
      RATE_LIMIT_LOGIN_PER_MIN: '0',
      RATE_LIMIT_WRITES_PER_MIN_USER: '12',
      RATE_LIMIT_WRITES_PER_MIN_IP: '0',
      RATE_LIMIT_READS_PER_MIN_USER: '0',
    });
    expect(config.rateLimit).toEqual({ loginPerMinIp: 0, writesPerMinUser: 12, writesPerMinIp: 0, readsPerMinUser: 0 });
    expect(() => loadConfig({ RATE_LIMIT_WRITES_PER_MIN_IP: '-1' })).toThrow(/rateLimit\.writesPerMinIp/);
  });

  test('when TRUSTED_PROXIES is set, then it is the number of proxies trusted, and a bad value is refused', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '2' }).trustedProxies).toBe(2);
    expect(() => loadConfig({ TRUSTED_PROXIES: '-1' })).toThrow(/trustedProxies/);
    expect(() => loadConfig({ TRUSTED_PROXIES: 'yes' })).toThrow(/trustedProxies/);
  });
});
