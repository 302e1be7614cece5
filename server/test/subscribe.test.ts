import { startTestApp, type TestApp } from './support/harness';
import { startFakeWechat, type FakeWechat } from './support/fake-wechat';
import {
  consentLeft,
  recordConsent,
  sendSubscribe,
  type SubscribeConfig,
  type SubscribeMessage,
} from '../src/modules/notify/subscribe.service';

/**
 * 订阅消息, the sender side (issue 19 item 3), against the local fake WeChat: one send per event key, consent spent
 * once per message, the access token cached and refetched once on 40001, 43101 recorded without retrying, busy
 * answers retried with backoff a few times.
 */
let t: TestApp;
let wx: FakeWechat;
let cfg: SubscribeConfig;
let n = 0;
const msg = (userId: string, eventKey = `evt|${(n += 1)}`): SubscribeMessage => ({
  eventKey,
  userId,
  openid: `wx-${userId}`,
  template: 'task',
  page: 'pages/tasks/index',
  data: { thing1: { value: '报送主题党日开展情况' }, time2: { value: '2026-12-01' } },
});
const sendCalls = () => wx.calls.filter((c) => c === '/cgi-bin/message/subscribe/send').length;

beforeAll(async () => {
  t = await startTestApp();
  wx = await startFakeWechat('wx-subscribe-app', 'subscribe-secret');
  cfg = {
    wechat: { appId: wx.appId, appSecret: wx.appSecret, baseUrl: wx.url },
    templates: { task: 'TPL-TASK-1' },
    attempts: 3,
    backoffMs: 10,
  };
}, 60_000);
afterAll(async () => {
  await wx.close();
  await t.close();
});

test('one send per event key; consent spent once per message; no consent, no call', async () => {
  await recordConsent('u1', ['task', 'task']);
  const first = msg('u1', 'task|T1|u1|assigned');
  expect(await sendSubscribe(cfg, first)).toBe('sent');
  expect(await sendSubscribe(cfg, first)).toBe('duplicate');
  // Five racing triggers of one event: one send.
  const racing = await Promise.all(
    Array.from({ length: 5 }, () => sendSubscribe(cfg, msg('u1', 'task|T2|u1|assigned'))),
  );
  expect(racing.filter((r) => r === 'sent')).toHaveLength(1);
  expect(racing.filter((r) => r === 'duplicate')).toHaveLength(4);
  expect(wx.sent.map((s) => s.template_id)).toEqual(['TPL-TASK-1', 'TPL-TASK-1']);
  expect(wx.sent[0]).toMatchObject({ touser: 'wx-u1', page: 'pages/tasks/index' });
  expect(await consentLeft('u1', 'task')).toBe(0);
  const calls = sendCalls();
  expect(await sendSubscribe(cfg, msg('u1'))).toBe('no_consent');
  expect(await sendSubscribe({ ...cfg, templates: {} }, msg('u1'))).toBe('no_template');
  expect(sendCalls()).toBe(calls);
  expect(await consentLeft('u1', 'task')).toBe(0);
});

test('the access token is cached, and refetched once when WeChat answers 40001', async () => {
  await recordConsent('u2', ['task', 'task', 'task']);
  const issued = wx.tokensIssued();
  expect(await sendSubscribe(cfg, msg('u2'))).toBe('sent');
  expect(await sendSubscribe(cfg, msg('u2'))).toBe('sent');
  expect(wx.tokensIssued()).toBe(issued); // cached from the first test
  wx.expireToken();
  const before = sendCalls();
  expect(await sendSubscribe(cfg, msg('u2'))).toBe('sent');
  expect(wx.tokensIssued()).toBe(issued + 1);
  expect(sendCalls() - before).toBe(2); // refused once with the stale token, then sent
});

test('43101 is recorded, never retried, and ends the member’s consent for the template', async () => {
  await recordConsent('u3', ['task', 'task']);
  wx.subscribeErrors.push(43101);
  const before = sendCalls();
  expect(await sendSubscribe(cfg, msg('u3'))).toBe('refused');
  expect(sendCalls() - before).toBe(1);
  expect(await consentLeft('u3', 'task')).toBe(0);
  // The next event for that member calls nobody until they accept again.
  expect(await sendSubscribe(cfg, msg('u3'))).toBe('no_consent');
  expect(sendCalls() - before).toBe(1);
});

test('busy answers are retried with backoff up to the limit, then recorded as failed', async () => {
  await recordConsent('u4', ['task', 'task']);
  wx.subscribeErrors.push(-1, 45009);
  let before = sendCalls();
  expect(await sendSubscribe(cfg, msg('u4'))).toBe('sent');
  expect(sendCalls() - before).toBe(3);
  wx.subscribeErrors.push(-1, -1, -1, -1);
  before = sendCalls();
  expect(await sendSubscribe(cfg, msg('u4'))).toBe('failed');
  expect(sendCalls() - before).toBe(3);
  wx.subscribeErrors.length = 0;
  // A bad template or openid is not retried at all.
  await recordConsent('u4', ['task']);
  wx.subscribeErrors.push(40003);
  before = sendCalls();
  expect(await sendSubscribe(cfg, msg('u4'))).toBe('failed');
  expect(sendCalls() - before).toBe(1);
});
