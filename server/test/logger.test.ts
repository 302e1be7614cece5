import { Writable } from 'node:stream';
import { createLogger, displayUrl, readyBanner, wantsPrettyLogs } from '../src/logger';

/** Collects what a logger writes. */
function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logs for a person or for a machine', () => {
  test('when development runs on a terminal outside CI, then logs are pretty; anywhere else, JSON', () => {
    expect(wantsPrettyLogs('development', { isTTY: true, ci: undefined })).toBe(true);
    expect(wantsPrettyLogs('development', { isTTY: true, ci: 'false' })).toBe(true);
    expect(wantsPrettyLogs('development', { isTTY: true, ci: 'true' })).toBe(false);
    expect(wantsPrettyLogs('development', { isTTY: true, ci: '1' })).toBe(false);
    expect(wantsPrettyLogs('development', { isTTY: false, ci: undefined })).toBe(false);
    expect(wantsPrettyLogs('production', { isTTY: true, ci: undefined })).toBe(false);
    expect(wantsPrettyLogs('test', { isTTY: true, ci: undefined })).toBe(false);
  });

  test('when pretty, then a line reads as text with its level and fields; otherwise it is one JSON object', async () => {
    const pretty = sink();
    createLogger({ logLevel: 'info' }, true, pretty.stream).info({ engine: 'ferretdb' }, 'database engine: ferretdb');
    await new Promise((resolve) => setImmediate(resolve));
    expect(pretty.text()).toMatch(/INFO.*database engine: ferretdb/);
    expect(pretty.text()).toMatch(/INFO.*database engine: ferretdb.*"engine":"ferretdb"/);
    expect(() => JSON.parse(pretty.text())).toThrow();

    const json = sink();
    createLogger({ logLevel: 'info' }, false, json.stream).info({ engine: 'ferretdb' }, 'database engine: ferretdb');
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(json.text())).toMatchObject({ level: 30, engine: 'ferretdb', msg: 'database engine: ferretdb' });
  });

  test('when ready with dev login, then the banner names the URL, the engine, its data folder and the four demo identities', () => {
    const banner = readyBanner({
      url: 'http://127.0.0.1:3000',
      engine: 'ferretdb',
      dataDir: '/srv/pioneer/.data',
      devLogin: true,
    });
    expect(banner).toContain('http://127.0.0.1:3000');
    expect(banner).toContain('FerretDB (embedded, SQLite), data in /srv/pioneer/.data/ferretdb');
    for (const [openid, name] of [
      ['demo-admin', '王组织'],
      ['demo-secretary', '李书记'],
      ['demo-cadre', '赵驻村'],
      ['demo-member', '陈党员'],
    ]) {
      expect(banner).toMatch(new RegExp(`${openid}\\s+${name}`));
    }
  });

  test('when dev login is off or the database is remote, then the banner says so and shows no password', () => {
    const banner = readyBanner({
      url: 'http://127.0.0.1:3000',
      engine: 'mongodb',
      dataDir: '/x',
      mongodbUri: 'mongodb://app:s3cret@db1,db2/pioneer',
      devLogin: false,
    });
    expect(banner).toContain('MongoDB at mongodb://db1,db2/pioneer');
    expect(banner).not.toContain('s3cret');
    expect(banner).not.toContain('demo-admin');
    expect(banner).toContain('dev login is off');
  });

  test('a wildcard bind is shown as an address a browser can open', () => {
    expect(displayUrl('0.0.0.0', 3000)).toBe('http://127.0.0.1:3000');
    expect(displayUrl('::1', 8080)).toBe('http://[::1]:8080');
    expect(displayUrl('127.0.0.1', 3001)).toBe('http://127.0.0.1:3001');
  });
});
