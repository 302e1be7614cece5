import { daysOfMonth } from './checkins';
import {
  dayInfo,
  inPosting,
  isWorkingDay,
  requiredDaysInPosting,
  requiredDaysOfMonth,
  workingDaysOf,
} from './holidays';

describe('法定节假日 and 调休 (issue 15)', () => {
  test('2026 春节: nine days off from 2-15, the Saturdays 2-14 and 2-28 are 调休上班', () => {
    expect(dayInfo('2026-02-15')).toEqual({ kind: 'holiday', name: '春节' });
    expect(dayInfo('2026-02-17')).toEqual({ kind: 'holiday', name: '春节' });
    expect(dayInfo('2026-02-23')).toEqual({ kind: 'holiday', name: '春节' });
    expect(dayInfo('2026-02-24')).toEqual({ kind: 'workday', name: null });
    expect(dayInfo('2026-02-14')).toEqual({ kind: 'makeup', name: '春节' });
    expect(dayInfo('2026-02-28')).toEqual({ kind: 'makeup', name: '春节' });
    expect(dayInfo('2026-02-07')).toEqual({ kind: 'weekend', name: null });
  });

  test('2026 国庆: 10-01..07 off, Sunday 9-20 and Saturday 10-10 worked', () => {
    expect(dayInfo('2026-10-05').kind).toBe('holiday');
    expect(dayInfo('2026-09-20')).toEqual({ kind: 'makeup', name: '国庆节' });
    expect(dayInfo('2026-10-10')).toEqual({ kind: 'makeup', name: '国庆节' });
    expect(dayInfo('2026-01-04')).toEqual({ kind: 'makeup', name: '元旦' });
    expect(dayInfo('2026-05-09')).toEqual({ kind: 'makeup', name: '劳动节' });
  });

  test('working days of a month count 调休 and leave out days off: 2026-02 has 16, 2026-10 has 18', () => {
    expect(workingDaysOf('2026-02')).toHaveLength(16); // 20 weekdays - 6 days off + 2 调休上班
    expect(workingDaysOf('2026-10')).toHaveLength(18); // 22 weekdays - 5 days off (Oct 1, 2, 5, 6, 7) + Saturday Oct 10
    expect(workingDaysOf('2026-03')).toHaveLength(22);
  });

  test('a month is worked out once and shared read-only: the same frozen list again, equal to the days counted afresh', () => {
    const first = workingDaysOf('2026-02');
    expect(workingDaysOf('2026-02')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(first).toEqual(daysOfMonth('2026-02').filter(isWorkingDay));
  });

  test('应出勤 is the county number capped by the working days; a year without the schedule keeps the county number', () => {
    expect(requiredDaysOfMonth(20, '2026-02')).toBe(16);
    expect(requiredDaysOfMonth(20, '2026-03')).toBe(20);
    expect(requiredDaysOfMonth(22, '2025-02')).toBe(22);
  });

  test('应出勤 of a posting equals the working days counted one by one, for postings starting and ending anywhere', () => {
    const naive = (required: number, month: string, since: string | null, until: string | null) => {
      const full = requiredDaysOfMonth(required, month);
      const all = daysOfMonth(month).filter(isWorkingDay);
      const posted = all.filter((d) => inPosting(d, since, until)).length;
      return posted === all.length ? full : Math.min(posted, Math.round((full * posted) / all.length));
    };
    // The days around each month's ends, and every third day inside (weekends, 调休 and holidays among them).
    const near = (m: string) => daysOfMonth(m).filter((d, i, all) => i % 3 === 0 || i === all.length - 1);
    const edges = [
      null,
      '2026-01-31',
      ...near('2026-02'),
      '2026-03-01',
      '2026-09-30',
      ...near('2026-10'),
      '2026-11-01',
    ];
    for (const month of ['2026-02', '2026-10'])
      for (const since of edges)
        for (const until of edges) {
          // Asked twice: the second answer comes from the memo and must be the same.
          expect(requiredDaysInPosting(20, month, since, until)).toBe(naive(20, month, since, until));
          expect(requiredDaysInPosting(20, month, since, until)).toBe(naive(20, month, since, until));
        }
  });
});
