import path from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config } from '../../config';
import type { EngineKind } from './db/engine';
import { DEMO_IDENTITIES } from './modules/auth/demo-identities';

export interface Terminal {
  isTTY: boolean;
  /** The CI variable as set (CI=true on every hosted runner; .ci/run sets it). */
  ci: string | undefined;
}

const thisTerminal = (): Terminal => ({ isTTY: Boolean(process.stdout.isTTY), ci: process.env.CI });

/**
 * Readable lines for a person at a terminal (`npm start` in development); one JSON object per line everywhere else
 * (production, CI, a pipe or a file), which is what log collectors parse.
 */
export function wantsPrettyLogs(env: Config['env'], terminal: Terminal = thisTerminal()): boolean {
  const ci = terminal.ci !== undefined && terminal.ci !== '' && terminal.ci !== 'false' && terminal.ci !== '0';
  return env === 'development' && terminal.isTTY && !ci;
}

/** The service's one logger. `destination` is for tests; the default is stdout. */
export function createLogger(
  config: Pick<Config, 'logLevel'>,
  pretty: boolean,
  destination?: DestinationStream,
): Logger {
  if (!pretty) return destination ? pino({ level: config.logLevel }, destination) : pino({ level: config.logLevel });
  // One line per entry (a request's fields stay beside it); sync: lines and the banner keep their order.
  const stream = pinoPretty({
    colorize: !destination,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
    sync: true,
    ...(destination ? { destination } : {}),
  });
  return pino({ level: config.logLevel }, stream);
}

export interface BannerFacts {
  url: string;
  engine: EngineKind;
  dataDir: string;
  mongodbUri?: string;
  devLogin: boolean;
}

/** Where the engine keeps its data (the folders server/src/db/engine.ts gives each kind under DATA_DIR). */
function engineLine(facts: BannerFacts): string {
  switch (facts.engine) {
    case 'ferretdb':
      return `FerretDB (embedded, SQLite), data in ${path.join(facts.dataDir, 'ferretdb')}`;
    case 'mongod':
    case 'mongodb-memory-server':
      return `${facts.engine === 'mongod' ? 'mongod from PATH' : 'mongod (downloaded)'}, data in ${path.join(facts.dataDir, 'mongod')}`;
    default:
      // Credentials stay out of the terminal: only the hosts of MONGODB_URI.
      return `MongoDB at ${(facts.mongodbUri ?? '').replace(/\/\/[^@/]*@/, '//')}`;
  }
}

/** What a person needs once `npm start` is ready: where to open it, what database, who to sign in as. */
export function readyBanner(facts: BannerFacts): string {
  const lines = ['', `  先锋 Pioneer is ready: ${facts.url}`, `  database: ${engineLine(facts)}`];
  if (facts.devLogin) {
    lines.push('  dev login (pick one on the login page):');
    const width = Math.max(...DEMO_IDENTITIES.map((d) => d.openid.length));
    for (const d of DEMO_IDENTITIES) lines.push(`    ${d.openid.padEnd(width)}  ${d.name}  ${d.label}`);
  } else {
    lines.push('  dev login is off (DEV_LOGIN=1 turns it on; npm start sets it)');
  }
  lines.push('  Ctrl+C stops it.', '');
  return lines.join('\n') + '\n';
}

/** The address to print: a wildcard bind is opened on this machine as 127.0.0.1. */
export function displayUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
