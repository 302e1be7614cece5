import { runJob } from './cli';
import { sealPersonalData } from './seal-personal-data';

// `npm run data:seal`: seals clear personal fields and re-seals those under an older key (after a key rotation);
// start-up runs the same job when the keys changed since its last complete run.
runJob('data:seal', () => sealPersonalData(undefined, true)).catch((err) => {
  console.error(err);
  process.exit(1);
});
