import { runJob } from './cli';
import { rebuildCommitmentWalls } from './commitments-rebuild';

runJob('commitments:rebuild', rebuildCommitmentWalls).catch((err) => {
  console.error(err);
  process.exit(1);
});
