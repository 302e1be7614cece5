// `node go-build-progress.mjs <total packages> go build -v ...`: runs the build and says how far it is every
// 10 seconds. buildFerretdb (ferretdb.ts) waits for it synchronously; the first build takes ~2 minutes on 2 cores,
// which looked like a hang with nothing on the screen. `go build -v` names each package as it compiles it
// (on stderr); anything else there (errors, "go: downloading") is passed through.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const [totalArg, command, ...args] = process.argv.slice(2);
const total = Number(totalArg) || 0;
const started = Date.now();
let compiled = 0;
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
const report = () =>
  console.error(`FerretDB build: compiled ${compiled}${total ? ` of ≤${total}` : ''} packages, ${elapsed()}`);

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
createInterface({ input: child.stderr }).on('line', (line) => {
  // A package path: one word, no "go:" or "#" prefix (those are messages and error headers).
  if (/^[\w.~/-]+$/.test(line) && !line.startsWith('#')) compiled += 1;
  else console.error(line);
});
const ticker = setInterval(report, 10_000);
child.on('error', (err) => {
  console.error(`${command}: ${err.message}`);
  process.exit(127);
});
child.on('exit', (code) => {
  clearInterval(ticker);
  if (code === 0) report();
  process.exit(code ?? 1);
});
