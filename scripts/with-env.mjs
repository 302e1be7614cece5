#!/usr/bin/env node
// `node scripts/with-env.mjs KEY=VALUE... command [args...]`: runs the command with those variables set, the same on
// Windows and POSIX shells (npm scripts cannot write `KEY=VALUE cmd` portably; this saves a cross-env dependency).
// The values win over the caller's shell: the miniprogram builds pin NODE_ENV=production because a shell's
// NODE_ENV=development makes babel-preset-taro ask for react-refresh (a dev-server plugin that is not installed).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const args = process.argv.slice(2);
const env = { ...process.env };
while (args.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[0])) {
  const [key, ...value] = args.shift().split('=');
  env[key] = value.join('=');
}
if (args.length === 0) {
  console.error('usage: node scripts/with-env.mjs KEY=VALUE... command [args...]');
  process.exit(2);
}
// A shell on Windows finds npm's .cmd shims (taro.cmd, tsx.cmd); elsewhere the command runs directly.
const child = spawn(args[0], args.slice(1), { stdio: 'inherit', env, shell: process.platform === 'win32' });
// `npm start` runs the server through this: a stop signal sent to this process reaches the server's graceful shutdown.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  console.error(`${args[0]}: ${err.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
