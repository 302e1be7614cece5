import { DEFAULT_JWT_SECRET, loadConfig } from '../../config';

describe('configuration', () => {
  test('when production starts with the default JWT secret, then it refuses', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', WECHAT_APP_ID: 'a', WECHAT_APP_SECRET: 'b' })).toThrow(/default JWT secret/);
  });

  test('when production turns dev login on, then it refuses', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-long-production-secret-value', DEV_LOGIN: 'true', WECHAT_APP_ID: 'a', WECHAT_APP_SECRET: 'b' }),
    ).toThrow(/dev login/);
  });

  test('when production has a secret, WeChat keys and no dev login, then it starts without dev login or demo data', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-long-production-secret-value', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's' });
    expect(config).toMatchObject({ env: 'production', devLogin: false, seedDemo: false, host: '0.0.0.0' });
    expect(config.jwtSecret).not.toBe(DEFAULT_JWT_SECRET);
  });

  test('when development starts, then dev login and the demo seed are on by default', () => {
    expect(loadConfig({})).toMatchObject({ env: 'development', devLogin: true, seedDemo: true, port: 3000 });
  });

  test('when an environment value is malformed, then every problem is named', () => {
    expect(() => loadConfig({ PORT: 'eighty', MONGODB_URI: 'not a url' })).toThrow(/port.*mongodbUri|mongodbUri.*port/s);
  });

  test('when NODE_ENV is unknown, then it refuses', () => {
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  test('when nothing sets rate limits, then production has generous per-address and per-member limits', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'a-long-production-secret-value', WECHAT_APP_ID: 'wx1', WECHAT_APP_SECRET: 's' });
    expect(config.rateLimit).toEqual({ loginPerMinIp: 30, writesPerMinUser: 60, writesPerMinIp: 600 });
  });

  test('when RATE_LIMIT_* are set, then they replace the defaults and 0 is accepted as off', () => {
    const config = loadConfig({ RATE_LIMIT_LOGIN_PER_MIN: '0', RATE_LIMIT_WRITES_PER_MIN_USER: '12', RATE_LIMIT_WRITES_PER_MIN_IP: '0' });
    expect(config.rateLimit).toEqual({ loginPerMinIp: 0, writesPerMinUser: 12, writesPerMinIp: 0 });
    expect(() => loadConfig({ RATE_LIMIT_WRITES_PER_MIN_IP: '-1' })).toThrow(/rateLimit\.writesPerMinIp/);
  });
});
