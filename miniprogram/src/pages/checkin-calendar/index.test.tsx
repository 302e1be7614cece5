import { fireEvent, render, screen } from '@testing-library/react';
import type { AttendanceDay, MyMonth } from '@pioneer/shared';
import { daysOfMonth } from '@pioneer/shared/src/checkins';
import CheckinCalendarPage from './index';
import { login, mockApi, ok } from '../../../test/api-mock';

/** February 2026 as the server sends it: every day judged, a check-in on the 3rd and on Sunday the 8th. */
function february(): MyMonth {
  const present = new Set(['2026-02-03', '2026-02-08']);
  const days: AttendanceDay[] = daysOfMonth('2026-02').map((day) => ({
    day,
    status: present.has(day) ? 'present' : 'absent',
    present: present.has(day),
  }));
  return {
    month: '2026-02',
    village: null,
    days,
    presentDays: 2,
    pendingDays: 0,
    flaggedDays: 0,
    requiredDays: 16,
    items: [],
  };
}

describe('我的考勤 calendar: 法定节假日 and 调休 (issue 15)', () => {
  beforeEach(() => {
    login();
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-03-10T02:00:00Z'));
  });
  afterEach(() => jest.restoreAllMocks());

  it('when February 2026 is shown, then 春节 days are 休 (not 缺勤), the 调休 Saturdays are 班, weekends are rest, and 应出勤 is 16', async () => {
    const sent = mockApi({ 'GET /checkins/mine': ok(february()) });
    render(<CheckinCalendarPage />);
    fireEvent.click(await screen.findByTestId('month-prev'));
    const festival = await screen.findByTestId('day-2026-02-17');
    expect(sent.at(-1)?.query).toEqual({ month: '2026-02' });

    expect(festival.getAttribute('data-status')).toBe('rest');
    expect(festival.getAttribute('data-kind')).toBe('holiday');
    expect(festival.textContent).toBe('17休');
    expect(festival.getAttribute('aria-label')).toBe('17日 春节休息 休息日');
    // 调休上班 Saturday with no check-in: a working day missed.
    const makeup = screen.getByTestId('day-2026-02-14');
    expect(makeup.getAttribute('data-kind')).toBe('makeup');
    expect(makeup.getAttribute('data-status')).toBe('absent');
    expect(makeup.textContent).toBe('14班');
    // An ordinary weekend is rest; an ordinary weekday without a check-in is 缺勤.
    expect(screen.getByTestId('day-2026-02-07').getAttribute('data-status')).toBe('rest');
    expect(screen.getByTestId('day-2026-02-04').getAttribute('data-status')).toBe('absent');
    // A Sunday check-in still shows as 出勤.
    expect(screen.getByTestId('day-2026-02-08').getAttribute('data-status')).toBe('present');

    expect(screen.getByTestId('calendar-holidays').textContent).toBe('春节：2月15日至23日放假；2月14日、28日调休上班');
    expect(screen.getByTestId('att-present').textContent).toBe('2/16');
    expect(screen.queryByTestId('calendar-no-schedule')).toBeNull();
  });
});
