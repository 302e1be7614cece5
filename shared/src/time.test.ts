import { dayKey, monthKey, periodId, periodIds, weekKey, yearKey } from './time';

describe('period keys in Asia/Shanghai', () => {
  test('when it is 23:59 in Shanghai, then it is still that day; one minute later it is the next', () => {
    expect(dayKey('2026-11-24T15:59:00Z')).toBe('2026-11-24');
    expect(dayKey('2026-11-24T16:00:00Z')).toBe('2026-11-25');
  });

  test('when UTC is still on the 31st but Shanghai is on the 1st, then month and year follow Shanghai', () => {
    const at = '2026-12-31T16:30:00Z';
    expect(dayKey(at)).toBe('2027-01-01');
    expect(monthKey(at)).toBe('2027-01');
    expect(yearKey(at)).toBe('2027');
  });

  test('when a year has 53 ISO weeks, then its last days are week 53 of that week-year', () => {
    // 2026 has 53 ISO weeks: 2026-12-31 (Thu) and 2027-01-03 (Sun) are in 2026-W53.
    expect(weekKey('2026-12-31T04:00:00Z')).toBe('2026-W53');
    expect(weekKey('2027-01-03T04:00:00Z')).toBe('2026-W53');
    expect(weekKey('2027-01-04T04:00:00Z')).toBe('2027-W01');
  });

  test('when early January belongs to the previous ISO year, then the week-year is the previous year', () => {
    // 2021-01-01 (Fri) is in 2020-W53; 2024-12-30 (Mon) is in 2025-W01.
    expect(weekKey('2021-01-01T04:00:00Z')).toBe('2020-W53');
    expect(weekKey('2024-12-30T04:00:00Z')).toBe('2025-W01');
  });

  test('when Sunday 23:30 in Shanghai turns to Monday, then the week changes on Shanghai midnight', () => {
    expect(weekKey('2026-11-29T15:30:00Z')).toBe('2026-W48'); // Sun 23:30 Shanghai
    expect(weekKey('2026-11-29T16:30:00Z')).toBe('2026-W49'); // Mon 00:30 Shanghai
  });

  test('when period ids are made, then they name each period once', () => {
    expect(periodIds('2026-11-25T02:00:00Z')).toEqual(['week:2026-W48', 'month:2026-11', 'year:2026', 'all']);
    expect(periodId('all', new Date())).toBe('all');
  });

  test('when a moment is given as a Date or epoch ms, then its keys are those of its ISO string', () => {
    // Across a year in 37-hour steps (every hour of the day comes round: both sides of Shanghai midnights).
    const start = Date.UTC(2026, 0, 1);
    for (let ms = start; ms < start + 366 * 86_400_000; ms += 37 * 3_600_000) {
      const iso = new Date(ms).toISOString();
      for (const key of [dayKey, weekKey, monthKey, yearKey]) {
        expect(key(new Date(ms))).toBe(key(iso));
        expect(key(ms)).toBe(key(iso));
      }
    }
    expect(dayKey(new Date(Number.NaN))).toBe('Invalid Date');
  });
});
