import { render, screen } from '@testing-library/react';
import type { AttendanceDay } from '@pioneer/shared';
import AttendanceCalendar from './index';

const day = (d: string, over: Partial<AttendanceDay> = {}): AttendanceDay => ({
  day: d,
  status: 'absent',
  present: false,
  ...over,
});

describe('考勤日历 · the posting (issue 15)', () => {
  it('days before the posting began are not applicable (greyed, named), never 缺勤; posted days keep their status', () => {
    // 2026-03: posted from Monday the 16th.
    const days = [
      day('2026-03-12'),
      day('2026-03-13'),
      day('2026-03-16', { status: 'present', present: true }),
      day('2026-03-17'),
    ].map((d) => (d.day < '2026-03-16' ? { ...d, outside: true } : d));
    render(<AttendanceCalendar month="2026-03" days={days} />);
    const before = screen.getByTestId('day-2026-03-12');
    expect(before.getAttribute('data-status')).toBe('outside');
    expect(before.getAttribute('aria-label')).toBe('12日 不在派驻期');
    expect(before.getAttribute('aria-label')).not.toContain('缺勤');
    expect(screen.getByTestId('day-2026-03-16').getAttribute('data-status')).toBe('present');
    expect(screen.getByTestId('day-2026-03-17').getAttribute('aria-label')).toBe('17日 缺勤');
    expect(screen.getByTestId('calendar-legend-outside').textContent).toBe('不在派驻期');
  });

  it('with no day outside the posting, the legend does not mention it', () => {
    render(<AttendanceCalendar month="2026-03" days={[day('2026-03-02')]} />);
    expect(screen.queryByTestId('calendar-legend-outside')).toBeNull();
  });
});

describe('考勤日历 · a check-in on a rest day (issue 15)', () => {
  it('counts as present and says it was a rest day (休 beside ✓)', () => {
    // 2026-03-15 is a Sunday.
    render(<AttendanceCalendar month="2026-03" days={[day('2026-03-15', { status: 'present', present: true })]} />);
    const cell = screen.getByTestId('day-2026-03-15');
    expect(cell.getAttribute('data-status')).toBe('present');
    expect(cell.getAttribute('aria-label')).toBe('15日 休息日打卡 出勤');
    expect(cell.textContent).toBe('15✓休');
  });
});
