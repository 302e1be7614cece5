import { runJob } from './cli';
import { reseedDemoCounty } from './demo-county';

runJob('seed', reseedDemoCounty).catch((err) => {
  console.error(err);
  process.exit(1);
});
