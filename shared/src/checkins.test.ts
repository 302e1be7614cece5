import {
  currentPeriodKey,
  dayStatus,
  daysOfMonth,
  daysSoFar,
  nextMonthKey,
  previousMonthKey,
  reportPeriod,
  shiftPeriodKey,
} from './checkins';
import { CheckinBodySchema, ReportQuerySchema } from './schemas/checkins';

describe('report periods', () => {
  test('when a quarter, half or year is named, then it covers the right months', () => {
    expect(reportPeriod('month', '2026-05')).toEqual({
      kind: 'month',
      key: '2026-05',
      label: '2026年5月',
      months: ['2026-05'],
    });
    expect(reportPeriod('quarter', '2026-Q4')?.months).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(reportPeriod('quarter', '2026-Q2')?.label).toBe('2026年第2季度');
    expect(reportPeriod('half', '2026-H2')?.months).toEqual([
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(reportPeriod('half', '2026-H1')?.label).toBe('2026年上半年');
    expect(reportPeriod('year', '2026')?.months).toHaveLength(12);
    expect(reportPeriod('quarter', '2026-Q5')).toBeNull();
    expect(reportPeriod('month', '2026-13')).toBeNull();
  });

  test('when it is 00:30 on 1 July in Shanghai (still 30 June in UTC), then the current periods are July, Q3 and H2', () => {
    const at = new Date('2026-06-30T16:30:00Z');
    expect(currentPeriodKey('month', at)).toBe('2026-07');
    expect(currentPeriodKey('quarter', at)).toBe('2026-Q3');
    expect(currentPeriodKey('half', at)).toBe('2026-H2');
    expect(currentPeriodKey('year', at)).toBe('2026');
  });

  test('when a period is stepped back or forward, then it crosses year ends', () => {
    expect(shiftPeriodKey('month', '2026-01', -1)).toBe('2025-12');
    expect(shiftPeriodKey('month', '2025-12', 1)).toBe('2026-01');
    expect(shiftPeriodKey('quarter', '2026-Q1', -1)).toBe('2025-Q4');
    expect(shiftPeriodKey('quarter', '2026-Q4', 1)).toBe('2027-Q1');
    expect(shiftPeriodKey('half', '2026-H1', -1)).toBe('2025-H2');
    expect(shiftPeriodKey('half', '2026-H2', 3)).toBe('2028-H1');
    expect(shiftPeriodKey('year', '2026', -1)).toBe('2025');
  });

  test('months roll over years both ways; February has 28 or 29 days', () => {
    expect(previousMonthKey('2026-01')).toBe('2025-12');
    expect(nextMonthKey('2026-12')).toBe('2027-01');
    expect(daysOfMonth('2026-02')).toHaveLength(28);
    expect(daysOfMonth('2028-02')).toHaveLength(29);
    expect(daysOfMonth('2026-05').at(-1)).toBe('2026-05-31');
  });

  test('a calendar judges only days so far: the whole past month, up to today now, nothing ahead', () => {
    const now = new Date('2026-05-10T02:00:00Z');
    expect(daysSoFar('2026-04', now)).toHaveLength(30);
    expect(daysSoFar('2026-05', now).at(-1)).toBe('2026-05-10');
    expect(daysSoFar('2026-06', now)).toEqual([]);
  });
});

describe('day status', () => {
  test('present beats pending; any flag shows as flagged; nothing is absent', () => {
    expect(dayStatus(undefined)).toBe('absent');
    expect(dayStatus({ v: 0, p: 0 })).toBe('absent');
    expect(dayStatus({ p: 1 })).toBe('pending');
    expect(dayStatus({ v: 1, p: 1 })).toBe('present');
    expect(dayStatus({ v: 1, f: 1 })).toBe('flagged');
  });
});

describe('check-in body', () => {
  const ok = { lat: 30.5, lng: 120, accuracy: 20, coordType: 'gcj02' };
  test('when coordinates are out of range, not numbers, or (0, 0), then the body is refused', () => {
    expect(CheckinBodySchema.safeParse(ok).success).toBe(true);
    for (const bad of [
      { lat: 91 },
      { lng: -180.5 },
      { lat: '30.5' },
      { lat: 0, lng: 0 },
      { accuracy: -1 },
      { coordType: 'bd09' },
    ]) {
      expect(CheckinBodySchema.safeParse({ ...ok, ...bad }).success).toBe(false);
    }
  });

  test('when the reason is blank, then it counts as no reason', () => {
    expect(CheckinBodySchema.parse({ ...ok, reason: '   ' }).reason).toBeUndefined();
    expect(CheckinBodySchema.parse({ ...ok, reason: ' 入户走访 ' }).reason).toBe('入户走访');
  });

  test('when a report names two periods, then it is refused', () => {
    expect(ReportQuerySchema.safeParse({ month: '2026-05', year: '2026' }).success).toBe(false);
    expect(ReportQuerySchema.parse({ quarter: '2026-Q2' }).format).toBe('json');
  });
});
