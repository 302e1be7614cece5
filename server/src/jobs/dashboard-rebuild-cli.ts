import { runJob } from './cli';
import { rebuildDashboard } from './dashboard-rebuild';

runJob('dashboard:rebuild', rebuildDashboard).catch((err) => {
  console.error(err);
  process.exit(1);
});
