import { render, screen } from '@testing-library/react';
import * as taroMock from '@tarojs/taro';
import { DEFAULT_POINT_RULES, earnsText } from '@pioneer/shared/src/points';
import ServiceLog from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';
import { myClaim, wish } from '../../../test/posts-fixtures';

/** The county's rules in force as GET /settings/points-rules shows them: 3 an hour (cap 12 a day), 7 a wish. */
function countyRules() {
  const changed: Record<string, { points: number; cap?: { per: 'day'; max: number } }> = {
    post_service: { points: 3, cap: { per: 'day', max: 12 } },
    wish_fulfilled: { points: 7 },
  };
  const rules = DEFAULT_POINT_RULES.map((r) => {
    const c = changed[r.reason];
    const value = c?.points ?? r.value;
    return {
      reason: r.reason,
      label: r.label,
      earns: earnsText({ ...r, value }),
      points: value,
      cap: c?.cap ?? r.cap,
      enabled: r.enabled,
    };
  });
  return { org: 'c1', at: '2026-11-29', effectiveFrom: '2026-11-01', versions: ['2026-11-01'], rules };
}

function open(params: Record<string, string>) {
  jest
    .spyOn(taroMock, 'useRouter')
    .mockReturnValue({ params, path: '/pages/service-log/index' } as unknown as ReturnType<typeof taroMock.useRouter>);
  return render(<ServiceLog />);
}

describe('记录服务 promises what the county pays', () => {
  beforeEach(() => login());
  afterEach(() => jest.restoreAllMocks());

  it('when my county pays 3 an hour and 7 a wish, then the page promises 3 an hour, its cap, and 7 for the wish', async () => {
    const sent = mockApi({
      'GET /me': ok(buildMe()),
      'GET /settings/points-rules': ok(countyRules()),
      'GET /claims/mine': ok({ items: [myClaim()] }),
      'GET /wishes/w1': ok(wish({ status: 'claimed', mine: true })),
    });
    open({ claim: 'p1_u1' });
    expect(await screen.findByText('书记确认后得 3 分（每小时3分，每天最多12分）')).toBeTruthy();
    expect(sent.find((r) => r.path === '/settings/points-rules')?.query).toMatchObject({ org: 'c1' });
  });

  it('when the form is for a wish, then it promises the wish value in force', async () => {
    mockApi({
      'GET /me': ok(buildMe()),
      'GET /settings/points-rules': ok(countyRules()),
      'GET /wishes/w1': ok(wish({ status: 'claimed', mine: true })),
    });
    open({ wish: 'w1' });
    expect(await screen.findByText('书记确认后得 7 分')).toBeTruthy();
  });
});
