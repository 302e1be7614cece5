import { runJob } from './cli';
import { rebuildPoints } from './points-rebuild';

runJob('points:rebuild', rebuildPoints).catch((err) => {
  console.error(err);
  process.exit(1);
});
