import Taro from '@tarojs/taro';
import { askSubscribe } from './subscribe';
import { login, mockApi, ok } from '../../test/api-mock';

const state = { enabled: true, templates: { task: 'TPL-TASK' }, counts: {} };

describe('订阅消息 consent', () => {
  beforeEach(() => login());
  afterEach(() => {
    delete (Taro as unknown as Record<string, unknown>).requestSubscribeMessage;
  });

  it('asks WeChat for the templates and records what was accepted with a login code', async () => {
    (Taro as unknown as Record<string, unknown>).requestSubscribeMessage = jest.fn(() =>
      Promise.resolve({ 'TPL-TASK': 'accept', errMsg: 'requestSubscribeMessage:ok' }),
    );
    const sent = mockApi({ 'POST /me/subscriptions': ok({ counts: { task: 1 } }) });
    expect(await askSubscribe(state, ['task'])).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.data).toEqual({ code: 'wx-code', accepted: ['task'] });
  });

  it('sends nothing when refused, when reminders are off, or outside WeChat', async () => {
    const sent = mockApi({});
    expect(await askSubscribe(state, ['task'])).toBe(0); // no requestSubscribeMessage (H5)
    (Taro as unknown as Record<string, unknown>).requestSubscribeMessage = jest.fn(() =>
      Promise.resolve({ 'TPL-TASK': 'reject' }),
    );
    expect(await askSubscribe(state, ['task'])).toBe(0);
    expect(await askSubscribe({ ...state, enabled: false }, ['task'])).toBe(0);
    expect(sent).toHaveLength(0);
  });
});
