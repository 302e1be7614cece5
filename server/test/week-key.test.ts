/**
 * The ISO week of a Shanghai moment, in the server's own module set: exceljs (loaded by every XLSX export) extends
 * the same dayjs, after which dayjs's isoWeek on an offset object counted the machine's day. On a UTC machine a
 * Monday-morning award in Shanghai was paid into the week before and 我的 本周 did not move (seen in CI).
 */
import 'exceljs';
import { periodIds, weekKey } from '@pioneer/shared';

describe('weekKey with exceljs loaded', () => {
  it('names the Shanghai week from 00:00 Monday, not from the machine’s Monday', () => {
    expect(weekKey('2026-11-29T15:59:59Z')).toBe('2026-W48'); // Sunday 23:59:59 in Shanghai
    expect(weekKey('2026-11-29T16:00:00Z')).toBe('2026-W49'); // Monday 00:00 in Shanghai
    expect(weekKey(new Date('2026-11-29T21:40:00Z'))).toBe('2026-W49'); // Monday 05:40: the morning CI found
    expect(weekKey('2026-11-30T04:00:00Z')).toBe('2026-W49'); // Monday noon
    expect(periodIds(new Date('2026-11-28T21:40:00Z'))[0]).toBe('week:2026-W48'); // Sunday 05:40
  });

  it('counts ISO weeks across years (2026 has 53; 2027-01-04 starts week 1)', () => {
    expect(weekKey('2026-01-01T04:00:00Z')).toBe('2026-W01');
    expect(weekKey('2026-12-31T04:00:00Z')).toBe('2026-W53');
    expect(weekKey('2027-01-03T04:00:00Z')).toBe('2026-W53');
    expect(weekKey('2027-01-04T04:00:00Z')).toBe('2027-W01');
    expect(weekKey('2025-12-29T04:00:00Z')).toBe('2026-W01');
    expect(weekKey('2021-01-01T04:00:00Z')).toBe('2020-W53');
  });
});
