import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import type { MyMonth } from '@pioneer/shared';
import { dayKey, monthKey } from '@pioneer/shared/src/time';
import CheckinHomeCard from './index';
import AttendanceCalendar from '../AttendanceCalendar';
import { buildMe, login, mockApi, ok } from '../../../test/api-mock';

const village = {
  id: 'v1',
  name: '青山村',
  type: 'village' as const,
  fence: { lat: 30.5447, lng: 119.9752, radiusM: 600 },
};
const month = (over: Partial<MyMonth> = {}): MyMonth => ({
  month: monthKey(Date.now()),
  village,
  days: [{ day: dayKey(Date.now()), status: 'absent', present: false }],
  presentDays: 7,
  pendingDays: 0,
  flaggedDays: 0,
  requiredDays: 20,
  items: [],
  ...over,
});

describe('首页 驻村考勤 card', () => {
  beforeEach(() => login());

  it('when a cadre has not checked in today, then the card says so with the month so far, and opens the check-in page', async () => {
    mockApi({ 'GET /checkins/mine': ok(month()) });
    render(<CheckinHomeCard me={buildMe({ roles: ['member', 'cadre'], postedVillage: village })} />);
    expect((await screen.findByText('本月出勤 7 / 20 天')).textContent).toBeTruthy();
    expect(screen.getByTestId('home-checkin').textContent).toContain('青山村 · 今日未打卡');
    fireEvent.click(screen.getByTestId('home-checkin'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/checkin/index' });
    expect(screen.queryByTestId('home-checkin-review')).toBeNull();
  });

  it('when today is already present, then it says 今日出勤 and 已打卡', async () => {
    mockApi({
      'GET /checkins/mine': ok(month({ days: [{ day: dayKey(Date.now()), status: 'present', present: true }] })),
    });
    render(<CheckinHomeCard me={buildMe({ roles: ['member', 'cadre'], postedVillage: village })} />);
    expect((await screen.findByText('已打卡')).textContent).toBeTruthy();
    expect(screen.getByTestId('home-checkin').textContent).toContain('今日出勤');
  });

  it('when a secretary or admin looks, then review and report links show; fences only for admins; members see nothing', () => {
    const { unmount } = render(<CheckinHomeCard me={buildMe({ roles: ['member', 'secretary'] })} />);
    fireEvent.click(screen.getByTestId('home-checkin-review'));
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: '/console/checkin-review/index' });
    expect(screen.queryByTestId('home-checkin-fences')).toBeNull();
    unmount();
    render(<CheckinHomeCard me={buildMe({ roles: ['member', 'admin'] })} />);
    expect(screen.getByTestId('home-checkin-fences')).toBeTruthy();
    const { container } = render(<CheckinHomeCard me={buildMe({ roles: ['member'] })} />);
    expect(container.innerHTML).toBe('');
  });
});

describe('AttendanceCalendar', () => {
  it('when given May 2026 (starting on a Friday), then it leaves 4 blanks and marks each judged day by status', () => {
    render(
      <AttendanceCalendar
        month="2026-05"
        days={[
          { day: '2026-05-01', status: 'present', present: true },
          { day: '2026-05-02', status: 'pending', present: false },
          { day: '2026-05-03', status: 'flagged', present: true },
          { day: '2026-05-04', status: 'absent', present: false },
        ]}
      />,
    );
    const grid = screen.getByTestId('calendar');
    expect(grid.querySelectorAll('.calendar__cell--blank')).toHaveLength(4);
    expect(screen.getByTestId('day-2026-05-01').getAttribute('data-status')).toBe('present');
    // 5-1 is 劳动节: the screen reader hears the holiday besides the check-in; 5-4 (a day off) is rest, not 缺勤.
    expect(screen.getByTestId('day-2026-05-01').getAttribute('aria-label')).toBe('1日 劳动节休息 休息日打卡 出勤');
    expect(screen.getByTestId('day-2026-05-04').getAttribute('data-status')).toBe('rest');
    expect(screen.getByTestId('day-2026-05-03').textContent).toBe('3疑休');
    expect(screen.getByTestId('day-2026-05-05').getAttribute('data-status')).toBe('future');
    expect(grid.querySelectorAll('[data-testid^="day-"]')).toHaveLength(31);
  });
});
