/**
 * A known path with a method it does not serve: 405 with the methods it does serve in Allow; OPTIONS answers with
 * them; an unknown path is the JSON 404. (One allowedMethods for the whole API: each module's router used to add its
 * own, 26 middlewares every API request went through, issue 17.)
 */
import supertest from 'supertest';
import { loadConfig } from '../../config';
import { createApp } from '../src/app';

const http = () =>
  supertest(
    createApp({ config: loadConfig({ NODE_ENV: 'test' }, { h5Dir: '/nonexistent' }), engine: 'test' }).callback(),
  );

const allowed = (header: string | undefined) => (header ?? '').split(', ').sort();

describe('methods a path does not serve', () => {
  test('when a path is called with a method it lacks, then 405 names the methods it serves', async () => {
    const res = await http().delete('/api/v1/me');
    expect(res.status).toBe(405);
    expect(allowed(res.headers.allow)).toEqual(['GET', 'HEAD', 'PATCH']);
    const board = await http().post('/api/v1/leaderboards/members');
    expect(board.status).toBe(405);
    expect(allowed(board.headers.allow)).toEqual(['GET', 'HEAD']);
  });

  test('when OPTIONS asks, then the reply names the methods; an unknown path is the JSON 404', async () => {
    const res = await http().options('/api/v1/me');
    expect(res.status).toBe(200);
    expect(allowed(res.headers.allow)).toEqual(['GET', 'HEAD', 'PATCH']);
    const unknown = await http().get('/api/v1/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });
});
