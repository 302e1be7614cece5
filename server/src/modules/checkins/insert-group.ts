import { groupedInserts } from '../../db/grouped-inserts';
import { CheckinModel, type CheckinDoc } from './checkins.model';

/**
 * Check-in inserts committed in groups (issue 17, H6e; the batching is db/grouped-inserts.ts, shared with the quiz's
 * attempts and results since H8b): while one insert is in flight the check-ins after it gather and go as one
 * `insertMany` when it returns; none in flight: at once, so a check-in alone waits for nothing. Each request still
 * awaits the write that carries its document (its reply means it is stored); a document refused (its `_id` already
 * there: a resend with the same Idempotency-Key) rejects that request alone with the engine's error, a failed write
 * rejects every request in it.
 */

/** Stores a new check-in: resolves once its document is written, rejects as an insert of it alone would. */
export const insertCheckin = groupedInserts<CheckinDoc>(() => CheckinModel.collection as never);
