import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for api.weixin.qq.com (outbound network is blocked in tests):
 * - `/sns/jscode2session`: a login code `good-<x>` is the openid `wx-<x>`; anything else 40029;
 * - `/cgi-bin/token`: an access token for the app id and secret it was started with;
 * - `/wxa/business/getuserphonenumber`: a phone code `phone-<11 digits>` is that number (with the right token);
 * - `/cgi-bin/message/subscribe/send` (订阅消息): with the current token, answers the next of `subscribeErrors` (0 when
 *   none is queued) and keeps what was sent; `expireToken()` makes the issued token stale (40001 until refetched).
 */
export interface FakeWechat {
  url: string;
  appId: string;
  appSecret: string;
  calls: string[];
  /** Subscribe messages accepted (errcode 0), in order. */
  sent: { touser: string; template_id: string; page?: string; data: unknown }[];
  /** Errcodes the next sends answer, first first (e.g. 43101 quota / refused, 45009 too often). */
  subscribeErrors: number[];
  /** How many access tokens were issued. */
  tokensIssued(): number;
  expireToken(): void;
  close(): Promise<void>;
}

export async function startFakeWechat(appId = 'wx-test-app', appSecret = 'test-secret', port = 0): Promise<FakeWechat> {
  let version = 0;
  let issued = 0;
  // The first token keeps the name it always had; each expireToken() makes a new one the only valid one.
  const current = () => (version === 0 ? `token-${appId}` : `token-${appId}-${version}`);
  const calls: string[] = [];
  const sent: FakeWechat['sent'] = [];
  const subscribeErrors: number[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(url.pathname);
    res.setHeader('content-type', 'application/json');
    const send = (body: unknown) => res.end(JSON.stringify(body));
    if (url.pathname === '/sns/jscode2session') {
      const code = url.searchParams.get('js_code') ?? '';
      if (url.searchParams.get('appid') !== appId || url.searchParams.get('secret') !== appSecret)
        return send({ errcode: 40125, errmsg: 'invalid appsecret' });
      return code.startsWith('good-')
        ? send({ openid: `wx-${code.slice(5)}`, session_key: 'k' })
        : send({ errcode: 40029, errmsg: 'invalid code' });
    }
    if (url.pathname === '/cgi-bin/token') {
      if (url.searchParams.get('appid') !== appId || url.searchParams.get('secret') !== appSecret)
        return send({ errcode: 40125, errmsg: 'invalid appsecret' });
      issued += 1;
      return send({ access_token: current(), expires_in: 7200 });
    }
    if (url.pathname === '/wxa/business/getuserphonenumber' && req.method === 'POST') {
      if (url.searchParams.get('access_token') !== current())
        return send({ errcode: 40001, errmsg: 'invalid credential' });
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const code = String((JSON.parse(raw || '{}') as { code?: string }).code ?? '');
        const m = /^phone-(1\d{10})$/.exec(code);
        if (!m) return send({ errcode: 40029, errmsg: 'invalid code' });
        send({ errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: m[1], purePhoneNumber: m[1], countryCode: '86' } });
      });
      return;
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send' && req.method === 'POST') {
      if (url.searchParams.get('access_token') !== current())
        return send({ errcode: 40001, errmsg: 'invalid credential' });
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const errcode = subscribeErrors.shift() ?? 0;
        if (errcode !== 0) return send({ errcode, errmsg: 'scripted' });
        sent.push(JSON.parse(raw || '{}') as FakeWechat['sent'][number]);
        send({ errcode: 0, errmsg: 'ok' });
      });
      return;
    }
    send({ errcode: -1, errmsg: 'unknown path' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    appId,
    appSecret,
    calls,
    sent,
    subscribeErrors,
    tokensIssued: () => issued,
    expireToken: () => {
      version += 1;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

type Templates = { task: string; deadline: string; activity: string; review: string };

/** The app's settings that point WeChat at this fake with subscription reminders on, under these template ids. */
export const remindersVia = (wx: FakeWechat, templates: Templates) => ({
  wechat: { appId: wx.appId, appSecret: wx.appSecret, baseUrl: wx.url },
  reminders: { enabled: true, templates },
});

/** Waits until `ok()` holds (the fake has received what a test expects), or fails after `ms`. */
export async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
