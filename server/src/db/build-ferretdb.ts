import { buildFerretdb, goAvailable } from './ferretdb';

// `npm run engine:build`: builds the embedded FerretDB once (CI does it up front so its time shows on its own line).
if (!goAvailable()) {
  console.log('no Go toolchain: skipping the embedded FerretDB build (set MONGODB_URI or put mongod on PATH)');
} else {
  console.log(`FerretDB ready: ${buildFerretdb((msg) => console.log(msg))}`);
}
