import { parseArgs } from 'node:util';
import { runJob } from './cli';
import { createCountyAdmin } from './create-admin';

// npm run admin:create -- --county 青山县 --openid <WeChat openid> --name 王组织
const { values } = parseArgs({
  options: { county: { type: 'string' }, openid: { type: 'string' }, name: { type: 'string' } },
});
if (!values.county || !values.openid || !values.name) {
  console.error('usage: npm run admin:create -- --county <county name> --openid <WeChat openid> --name <admin name>');
  process.exit(2);
}
runJob('admin:create', () =>
  createCountyAdmin({ county: values.county!, openid: values.openid!, name: values.name! }),
).catch((err) => {
  console.error(err);
  process.exit(1);
});
