/**
 * points/periods-gone.ts works out a Shanghai day's periods once (H9a: per scope of every award it was ~1 % of a
 * paying check-in's Node CPU): the `$unset` of the periods gone by follows the clock across a Shanghai midnight, and
 * an award outside the usual (a late move, a view holding an older period) gets its own.
 */
import { periodsGoneBy } from '../src/modules/points/periods-gone';

afterEach(() => jest.useRealTimers());

const at = (iso: string) => jest.useFakeTimers({ now: new Date(iso), doNotFake: ['nextTick', 'setImmediate'] });
const gone = (held?: { h?: Record<string, unknown> }, moves: string[] = []) =>
  Object.keys(
    periodsGoneBy(
      held,
      moves.map((periodId) => ({ periodId })),
    ) ?? {},
  );

test('when the clock passes a Shanghai midnight that starts a week, a month and a year, then the periods gone by move with it', () => {
  at('2026-12-31T15:59:59Z'); // Thursday 31 December 23:59:59 in Shanghai
  expect(gone()).toEqual([
    'h.week:2026-W52',
    'n.week:2026-W52',
    'c.week:2026-W52',
    'h.month:2026-11',
    'n.month:2026-11',
    'c.month:2026-11',
    'h.year:2025',
    'n.year:2025',
    'c.year:2025',
  ]);
  at('2026-12-31T16:00:00Z'); // Friday 1 January 2027 00:00 in Shanghai: the same ISO week, a new month and year
  expect(gone()).toEqual([
    'h.week:2026-W52',
    'n.week:2026-W52',
    'c.week:2026-W52',
    'h.month:2026-12',
    'n.month:2026-12',
    'c.month:2026-12',
    'h.year:2026',
    'n.year:2026',
    'c.year:2026',
  ]);
  at('2026-12-31T15:00:00Z'); // a clock moved back: that day's again
  expect(gone()).toContain('h.month:2026-11');
});

test('when a move is in a period gone by, then it is kept; a period only the view holds goes', () => {
  at('2026-12-02T04:00:00Z'); // Wednesday 2 December in Shanghai, week 49
  expect(gone(undefined, ['month:2026-11', 'all'])).not.toContain('h.month:2026-11');
  expect(gone({ h: { 'week:2026-W40': {}, 'month:2026-12': {} } })).toEqual(
    expect.arrayContaining(['h.week:2026-W40', 'n.week:2026-W40', 'c.week:2026-W40', 'h.month:2026-11']),
  );
  expect(gone({ h: { 'month:2026-12': {} } })).not.toContain('h.month:2026-12');
});
