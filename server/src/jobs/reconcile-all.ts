import type { Logger } from 'pino';
import { forgetOldReplies } from '../http/idempotency';
import { finishOrgMoves } from '../modules/orgs/org-move';
import { reconcileAttendance } from './activities-reconcile';
import { reconcileCheckins } from './checkins-reconcile';
import { reconcilePoints } from './points-rebuild';
import { reconcilePosts } from './posts-reconcile';
import { reconcileBallots } from '../modules/reviews/ballot-write';
import { rebuildTodo } from '../modules/todo/todo.rebuild';
import { reconcileTaskPayments } from '../modules/tasks/tasks.pay';
import { repairWalls } from './commitments-rebuild';
import { refileAudits } from '../modules/audit/audit.service';

/**
 * The repairs for work a stop left half-done, in order; run at start-up (main.ts) and again whenever the database
 * comes back (recovery.ts), each time while no request can write (the seat recount must not race live claims).
 * Every step corrects by difference or by its own key, so running it again applies nothing twice.
 */
export async function reconcileAll(logger: Logger): Promise<void> {
  // Replies still `pending`: the request doing that work failed with its database (or its process) and could not
  // give its key back, so a retry must do the work instead of getting 409 for a day.
  await forgetOldReplies();
  // An org move stopped half-way: part of its subtree and members on the new path, part on the old.
  const moves = await finishOrgMoves();
  if (moves > 0) logger.warn({ moves }, 'finished org moves left half-done by an earlier stop');
  const repaired = await reconcilePoints();
  if (repaired > 0) logger.warn({ repaired }, 'applied ledger entries left unapplied by an earlier stop');
  const posts = await reconcilePosts();
  if (Object.values(posts).some((n) => n > 0))
    logger.warn(posts, 'repaired posts and wishes left half-done by an earlier stop');
  const attendance = await reconcileAttendance();
  if (attendance.found > 0) logger.warn(attendance, 'paid activity sign-ins left unpaid by an earlier stop');
  const checkins = await reconcileCheckins();
  if (checkins.found > 0) logger.warn(checkins, 'settled check-ins left half-done by an earlier stop');
  // The 待办 counts: a crash between a record's (wish's, leave's) write and its `$inc` leaves them off by one.
  const todo = await rebuildTodo();
  if (todo > 0) logger.warn({ todo }, 'recounted 待办 counters an earlier stop left off');
  const taskPoints = await reconcileTaskPayments();
  if (taskPoints.found > 0) logger.warn(taskPoints, 'paid task acceptances left unpaid by an earlier stop');
  const ballots = await reconcileBallots();
  if (ballots.found > 0) logger.warn(ballots, 'finished or undid review votes left pending by an earlier stop');
  const walls = await repairWalls();
  if (walls > 0) logger.warn({ walls }, 'rewrote 承诺墙 pages an earlier stop left half-written');
  const audits = await refileAudits();
  if (audits > 0) logger.warn({ audits }, 'filed audit lines an earlier stop kept from their org logs');
}
