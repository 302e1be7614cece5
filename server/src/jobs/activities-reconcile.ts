import { ActivitySigninModel, type ActivitySigninDoc } from '../modules/activities/activities.model';
import { paidMarks, payAttendance } from '../modules/activities/attendance-pay';

export interface AttendanceRepair {
  /** Sign-ins found unpaid (a crash between storing the sign-in and paying it). */
  found: number;
  /** Points paid now; 0 for those whose payment had landed before the crash and only the mark was missing. */
  points: number;
  /** Sign-ins that could not be paid (e.g. the member was deleted): left unpaid and reported, never blocking. */
  failed: string[];
}

/**
 * Pays the attendance points a crash left unpaid, exactly once: the payment's idempotency key is the same one the
 * sign-in used, so a sign-in whose points did land is only marked. Runs at start-up with the other reconcilers.
 * `paid: {$ne: true}` also takes sign-ins stored before the flag existed (marked once, paying nothing twice).
 */
export async function reconcileAttendance(): Promise<AttendanceRepair> {
  // Deliberate scan on FerretDB (an index read on MongoDB): once at start-up, not on a request path.
  const unpaid = await ActivitySigninModel.find({ paid: { $ne: true } }).lean<ActivitySigninDoc[]>();
  const repair: AttendanceRepair = { found: unpaid.length, points: 0, failed: [] };
  for (const s of unpaid) {
    try {
      repair.points += await payAttendance(s);
    } catch {
      repair.failed.push(s._id);
    }
  }
  await paidMarks.flush();
  return repair;
}
