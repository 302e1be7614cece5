import Taro from '@tarojs/taro';
import type { Me } from '@pioneer/shared';

export interface SentRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  data: unknown;
  header: Record<string, string>;
}

type Reply = { statusCode: number; data: unknown } | Error;
type Handler = (req: SentRequest) => Reply | Promise<Reply>;

/** Scripts Taro.request by "METHOD /path" (path under /api/v1, query ignored for matching). Returns the log. */
export function mockApi(routes: Record<string, Handler | Reply>): SentRequest[] {
  const sent: SentRequest[] = [];
  (Taro.request as unknown as jest.Mock).mockImplementation(
    async (opts: { url: string; method: string; data: unknown; header: Record<string, string> }) => {
      const u = new URL(opts.url, 'http://local');
      const req: SentRequest = {
        method: opts.method,
        path: u.pathname.replace(/^\/api\/v1/, ''),
        query: Object.fromEntries(u.searchParams),
        data: opts.data,
        header: opts.header,
      };
      sent.push(req);
      const route = routes[`${req.method} ${req.path}`];
      if (!route)
        return {
          statusCode: 404,
          data: { error: { code: 'NOT_FOUND', message: `no mock for ${req.method} ${req.path}` } },
        };
      const reply = typeof route === 'function' ? await route(req) : route;
      if (reply instanceof Error) throw reply;
      return { ...reply, header: {}, cookies: [], errMsg: 'request:ok' };
    },
  );
  return sent;
}

export const ok = (data: unknown) => ({ statusCode: 200, data });

export function buildMe(over: Partial<Me> = {}): Me {
  return {
    id: 'u1',
    name: '张建国',
    avatarUrl: '',
    roles: ['member', 'secretary'],
    org: {
      id: 'b1',
      name: '红旗村党支部',
      type: 'branch',
      path: [
        { id: 'c1', name: '青山县', type: 'county' },
        { id: 't1', name: '青山镇', type: 'township' },
        { id: 'v1', name: '红旗村', type: 'village' },
      ],
    },
    adminOrg: null,
    postedVillage: null,
    identity: { dutyTitle: null, partySince: 2001, contact: null, photoUrl: null, badge: null },
    points: { week: 3, month: 12, year: 80, all: 150 },
    careMode: false,
    hideFromRankings: false,
    ...over,
  };
}

export function login(token = 'test-token'): void {
  Taro.setStorageSync('token', token);
}
