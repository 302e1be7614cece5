import { loadConfig } from '../../config';

/** 订阅消息 (issue 19): template ids come from config; production refuses reminders switched on without them. */
const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-long-production-secret-value',
  WECHAT_APP_ID: 'wx1',
  WECHAT_APP_SECRET: 's',
  DATA_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  PHONE_LOOKUP_KEY: Buffer.alloc(32, 9).toString('base64'),
};
const TEMPLATES = {
  SUBSCRIBE_TEMPLATE_TASK: 'tpl-task',
  SUBSCRIBE_TEMPLATE_DEADLINE: 'tpl-deadline',
  SUBSCRIBE_TEMPLATE_ACTIVITY: 'tpl-activity',
  SUBSCRIBE_TEMPLATE_REVIEW: 'tpl-review',
};

test('reminders are off by default, with no template ids', () => {
  expect(loadConfig(PRODUCTION).reminders).toEqual({
    enabled: false,
    templates: { task: '', deadline: '', activity: '', review: '' },
  });
});

test('production with reminders on and a template id missing refuses to start, naming what to set', () => {
  expect(() => loadConfig({ ...PRODUCTION, REMINDERS_ENABLED: '1' })).toThrow(/SUBSCRIBE_TEMPLATE_TASK.*REVIEW/);
  const { SUBSCRIBE_TEMPLATE_ACTIVITY: _left, ...three } = TEMPLATES;
  expect(() => loadConfig({ ...PRODUCTION, REMINDERS_ENABLED: '1', ...three })).toThrow(
    /needs every subscribe template id: set SUBSCRIBE_TEMPLATE_ACTIVITY$/,
  );
  expect(loadConfig({ ...PRODUCTION, REMINDERS_ENABLED: '1', ...TEMPLATES }).reminders).toEqual({
    enabled: true,
    templates: { task: 'tpl-task', deadline: 'tpl-deadline', activity: 'tpl-activity', review: 'tpl-review' },
  });
  // Outside production a developer may switch them on to try one template.
  expect(loadConfig({ NODE_ENV: 'test', REMINDERS_ENABLED: 'true' }).reminders.enabled).toBe(true);
});
