import { CheckinModel, type CheckinDoc } from '../modules/checkins/checkins.model';
import { settle, settledMarks } from '../modules/checkins/checkins.service';
import { flushMonthLines } from '../modules/checkins/month-lines';

/**
 * Finishes check-ins a crash left unsettled (stored, but the month list, review queue or day's point not yet
 * written): each step is idempotent, so a point that did land is not paid again. Runs at start-up.
 */
export async function reconcileCheckins(): Promise<{ found: number; points: number }> {
  // Deliberate scan on FerretDB (an index read on MongoDB): once at start-up, not on a request path.
  const unsettled = await CheckinModel.find({ settled: false }).lean<CheckinDoc[]>();
  let points = 0;
  for (const c of unsettled) points += await settle(c);
  // The month lines first: their check-ins' settled marks are queued once the lines are stored.
  await flushMonthLines();
  await settledMarks.flush();
  return { found: unsettled.length, points };
}
