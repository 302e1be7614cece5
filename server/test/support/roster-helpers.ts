import type supertest from 'supertest';
import type { RosterImport } from '@pioneer/shared';

export const HEADER = '姓名,手机号,所在支部,人员类别,入党时间,职务,角色,驻村';

export const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\n'), 'utf8');

export async function dryRun(agent: supertest.Agent, token: string, file: Buffer, name = 'roster.csv') {
  return agent.post('/api/v1/roster/imports').set('authorization', `Bearer ${token}`).attach('file', file, name);
}

/** Confirms and polls the import by key until it is done (or failed). */
export async function confirmAndWait(agent: supertest.Agent, token: string, key: string): Promise<RosterImport> {
  const started = await agent.post(`/api/v1/roster/imports/${key}/confirm`).set('authorization', `Bearer ${token}`);
  if (started.status !== 200) throw new Error(`confirm ${started.status}: ${JSON.stringify(started.body)}`);
  for (let i = 0; i < 600; i++) {
    const res = await agent.get(`/api/v1/roster/imports/${key}`).set('authorization', `Bearer ${token}`);
    if (res.body.state === 'done' || res.body.state === 'failed') return res.body as RosterImport;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish');
}
