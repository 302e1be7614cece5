import type { Logger } from 'pino';
import { dashboardSlots, quarterRange, type Quarter } from '@pioneer/shared';
import { claimEvent, finishEvent } from '../notify/reminders.job';
import { OrgModel } from '../orgs/orgs.model';
import { computeQuarter } from './scorecards.compute';
import { readCard, sortedVersions, versionForQuarter } from './scorecards.store';

/**
 * 支部评分 on its own (issue 18): each county's quarter is scored once after it ends, without anyone clicking
 * (an admin still recomputes on demand, POST /scorecards/compute). A run at start-up catches up the quarter that
 * ended while no server ran; then every SCORING_EVERY_MS a run finds nothing new until the next quarter ends.
 *
 * Once across processes and restarts: the key `scorecard|<countyId>|<quarter>` is claimed in `reminder_events`
 * (the reminders' claim: insert wins, a claim left pending by a stopped process is taken over after its stale
 * time), and only the winner computes. A county with no card for the quarter is not claimed, so defining a card
 * later still gets the quarter scored by the next run.
 */
export const SCORING_EVERY_MS = 60 * 60_000;

/** The quarter before the one `now` falls in (Shanghai): the last that has ended. */
export function lastEndedQuarter(now: Date): Quarter {
  const { year, slots } = dashboardSlots(now);
  const n = Number(slots[1].slice(1));
  return n === 1 ? `${year - 1}Q4` : `${year}Q${n - 1}`;
}

export const scoringKey = (countyId: string, q: Quarter) => `scorecard|${countyId}|${q}`;

/** Counties whose card covers the quarter (a scan of the small orgs collection: a background job, not a view). */
async function countiesToScore(q: Quarter): Promise<string[]> {
  const counties = await OrgModel.find({ type: 'county', dissolvedAt: null }, { _id: 1 }).lean<{ _id: string }[]>();
  const last = quarterRange(q).last;
  const cards = await Promise.all(counties.map((c) => readCard(c._id)));
  return counties
    .filter((_, i) => versionForQuarter(sortedVersions(cards[i] ?? null), last) !== null)
    .map((c) => c._id);
}

/** One run: scores the last ended quarter of every county that has a card and whose quarter no run has claimed. */
export async function runScoring(now = new Date()): Promise<{ quarter: Quarter; computed: string[] }> {
  const quarter = lastEndedQuarter(now);
  const computed: string[] = [];
  for (const countyId of await countiesToScore(quarter)) {
    const key = scoringKey(countyId, quarter);
    if (!(await claimEvent(key, now))) continue;
    await computeQuarter(countyId, quarter, now);
    await finishEvent(key);
    computed.push(countyId);
  }
  return { quarter, computed };
}

/** Now (the catch-up), then every SCORING_EVERY_MS (main.ts), runs chained so none overlaps; the timer does not
 * hold the process open. */
export function scheduleScoring(logger: Logger): NodeJS.Timeout {
  let chain: Promise<void> = Promise.resolve();
  const run = () => {
    chain = chain
      .then(() => runScoring())
      .then(
        (r) => void (r.computed.length > 0 && logger.info(r, 'branch scores computed')),
        (err: unknown) => logger.warn({ err }, 'scoring run failed; it runs again within the hour'),
      );
  };
  run();
  const timer = setInterval(run, SCORING_EVERY_MS);
  timer.unref();
  return timer;
}
