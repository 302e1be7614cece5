import { render, screen } from '@testing-library/react';
import type { FenceVillageList } from '@pioneer/shared';
import FencesPage from './index';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const admin = buildMe({
  roles: ['member', 'admin'],
  adminOrg: { id: 't1', name: '青山镇', type: 'township', path: [] },
} as never);
const villages: FenceVillageList = {
  items: [
    {
      id: 'v1',
      name: '青山村',
      type: 'village',
      parentName: '青山镇',
      fence: { lat: 30.5612, lng: 119.9423, radiusM: 1500 },
    },
    { id: 'v2', name: '红旗村', type: 'village', parentName: '青山镇', fence: { lat: 30.5, lng: 119.9, radiusM: 650 } },
  ],
} as never;

describe('打卡范围 (issue 15)', () => {
  beforeEach(() => login());

  it('radii are written with the one distance formatter: 650米 and 1.5公里, never 1500米', async () => {
    mockApi({ 'GET /me': ok(admin), 'GET /checkins/villages': ok(villages) });
    render(<FencesPage />);
    const states = await screen.findAllByTestId('fence-state');
    expect(states.map((s) => s.textContent)).toEqual([
      '30.5612, 119.9423 · 半径1.5公里',
      '30.5000, 119.9000 · 半径650米',
    ]);
  });
});
