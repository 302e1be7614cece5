import path from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * What the database engine resolver (server/src/db) takes from the environment. Read here, with the rest of the
 * configuration, but outside `Config`: the test harness and the benchmark start an engine before any Config exists.
 * Read when the engine starts, as the resolver always did.
 */
export interface EngineEnvironment {
  /** MONGOMS_SYSTEM_BINARY: a mongod to run, before looking for one on PATH. */
  mongodBinary: string | null;
  /** The PATH directories searched for mongod. */
  searchPath: string[];
  /** PIONEER_EMBEDDED_SYNC=full: fsync on every commit (survives a power cut, ~10x slower writes; see main.go). */
  embeddedSync: 'full' | 'normal';
  /** The environment `go build` runs in: this process's (Go's own caches and proxy settings), with cgo off. */
  goBuildEnv: Env;
  /** ENGINE_COMMAND_TRACE=1: log each request's engine commands by name and collection (server/src/db/engine-commands.ts). */
  commandTrace: boolean;
}

export function engineEnvironment(env: Env = process.env): EngineEnvironment {
  return {
    mongodBinary: env.MONGOMS_SYSTEM_BINARY || null,
    searchPath: (env.PATH ?? '').split(path.delimiter).filter(Boolean),
    embeddedSync: env.PIONEER_EMBEDDED_SYNC === 'full' ? 'full' : 'normal',
    goBuildEnv: { ...env, CGO_ENABLED: '0' },
    commandTrace: env.ENGINE_COMMAND_TRACE === '1',
  };
}
