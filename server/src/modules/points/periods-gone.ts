import { dayKey, monthKey, periodId, periodIds, previousMonthKey, shanghaiInstant, yearKey } from '@pioneer/shared';

/** What of a scope's document (or the view of it held here) says which periods it holds. */
interface HeldPeriods {
  h?: Record<string, unknown>;
  n?: Record<string, unknown>;
  c?: Record<string, unknown>;
}

/** The `$unset` of a period's fields in a scope's document. */
const fieldsOf = (periods: Iterable<string>) =>
  Object.fromEntries([...periods].flatMap((p) => [`h.${p}`, `n.${p}`, `c.${p}`].map((f) => [f, 1 as const])));

/** The week, month and year before the ones of `now`. */
function periodsBefore(now: Date): string[] {
  return [
    periodId('week', now.getTime() - 7 * 86_400_000),
    `month:${previousMonthKey(monthKey(now))}`,
    `year:${Number(yearKey(now)) - 1}`,
  ];
}

const DAY_MS = 86_400_000;

/** One Shanghai day's periods: every week, month and year starts at a Shanghai midnight, so they hold all day. */
interface Day {
  from: number;
  until: number;
  current: ReadonlySet<string>;
  before: readonly string[];
  /** The `$unset` of the periods before: the same on every award of the day. */
  unset: Readonly<Record<string, 1>>;
}
let day: Day | undefined;

/**
 * The day's periods, worked out once a day rather than per scope of every award (periodsGoneBy was ~1 % of a paying
 * check-in's Node CPU on its own, H9a). A clock moved back (tests) works them out again.
 */
function dayOf(ms: number): Day {
  if (day && ms >= day.from && ms < day.until) return day;
  const from = shanghaiInstant(dayKey(ms)).getTime();
  const now = new Date(ms);
  const before = periodsBefore(now);
  day = {
    from,
    until: from + DAY_MS,
    current: new Set(periodIds(now)),
    before,
    unset: Object.freeze(fieldsOf(before)),
  };
  return day;
}

/**
 * The periods of today (Shanghai): those an award can still move (`current`) and the one before each (`before`),
 * for a member's totals document (member-totals.ts), which keeps the same window as the scopes'.
 */
export function periodsOfToday(): { current: ReadonlySet<string>; before: readonly string[] } {
  return dayOf(Date.now());
}

const heldKeys = (held: HeldPeriods | undefined) => [
  ...Object.keys(held?.h ?? {}),
  ...Object.keys(held?.n ?? {}),
  ...Object.keys(held?.c ?? {}),
];

/**
 * Keeps a scope's document to the periods of now (and those just moved): a county's would otherwise gain a week's
 * and a month's histograms every week and month. Nothing reads a period gone by (boards and ranks are of the
 * current periods; `points:rebuild` recomputes them all). In the award's own statement, without reading the
 * document: the period before each current one (an $unset of a field not there does nothing), and any other the
 * view held here shows. The usual award (moves in the current periods, a view of current periods) gets the day's one
 * `$unset` (frozen: statements are read, never changed).
 */
export function periodsGoneBy(held: HeldPeriods | undefined, moves: { periodId: string }[]): Record<string, 1> | null {
  const today = dayOf(Date.now());
  const shown = heldKeys(held);
  const usual =
    moves.every((m) => today.current.has(m.periodId)) &&
    shown.every((p) => today.current.has(p) || today.before.includes(p));
  if (usual) return today.unset as Record<string, 1>;
  const keep = new Set([...today.current, ...moves.map((m) => m.periodId)]);
  const gone = [...new Set([...today.before, ...shown])].filter((p) => !keep.has(p));
  return gone.length === 0 ? null : fieldsOf(gone);
}

/** The `$unset` of the day's periods before in a scope's board block (board-blocks.ts): its rows and floor. */
const boardFieldsOf = (periods: Iterable<string>) =>
  Object.fromEntries([...periods].flatMap((p) => [`r.${p}`, `f.${p}`].map((f) => [f, 1 as const])));
let boardUnset: { day: Day; unset: Readonly<Record<string, 1>> } | undefined;

/**
 * Keeps a scope's board blocks to the periods of now, as periodsGoneBy keeps its document: the period before each
 * current one dropped in the award's own row statement (a block holds every period's rows: it would otherwise gain
 * a week's and a month's rows every week and month). `written`: the periods the statement writes, never dropped.
 */
export function boardPeriodsGoneBy(written: readonly string[]): Record<string, 1> {
  const today = dayOf(Date.now());
  if (boardUnset?.day !== today) boardUnset = { day: today, unset: Object.freeze(boardFieldsOf(today.before)) };
  if (!written.some((p) => today.before.includes(p))) return boardUnset.unset as Record<string, 1>;
  return boardFieldsOf(today.before.filter((p) => !written.includes(p)));
}
