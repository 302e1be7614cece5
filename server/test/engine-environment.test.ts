import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { engineEnvironment } from '../../config/engine';

/** The environment is read in config/ (issue 16): the engine resolver takes what it needs from config/engine.ts. */
describe('engine environment', () => {
  test('no file of server/src/db reads process.env', () => {
    const dir = path.join(__dirname, '..', 'src', 'db');
    const readers = readdirSync(dir).filter((f) => /process\.env/.test(readFileSync(path.join(dir, f), 'utf8')));
    expect(readers).toEqual([]);
  });

  test('what the resolver reads: a system mongod, PATH, the embedded sync mode, go build with cgo off', () => {
    const env = engineEnvironment({
      MONGOMS_SYSTEM_BINARY: '/opt/mongod',
      PATH: ['/usr/bin', '', '/bin'].join(path.delimiter),
      PIONEER_EMBEDDED_SYNC: 'full',
      GOPATH: '/go',
      ENGINE_COMMAND_TRACE: '1',
    });
    expect(env).toEqual({
      mongodBinary: '/opt/mongod',
      searchPath: ['/usr/bin', '/bin'],
      embeddedSync: 'full',
      goBuildEnv: expect.objectContaining({ GOPATH: '/go', CGO_ENABLED: '0' }),
      commandTrace: true,
    });
    // Unset or empty: look on PATH, normal sync (fsync at checkpoints).
    expect(engineEnvironment({ MONGOMS_SYSTEM_BINARY: '', PIONEER_EMBEDDED_SYNC: 'fast' })).toMatchObject({
      mongodBinary: null,
      searchPath: [],
      embeddedSync: 'normal',
      commandTrace: false,
    });
  });
});
