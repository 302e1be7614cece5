/**
 * 弱网: rules for writes captured on the device while offline and sent later from the offline queue. The check-in
 * rules (72 h, a day's attendance) live in CHECKIN_RULES; these are the activity sign-in's.
 */
export const OFFLINE_SIGNIN_RULES = {
  /** A capture time further ahead of the server's clock than this is a wrong phone clock: refused. */
  maxClockSkewMinutes: 2,
  /**
   * A sign-in captured offline is accepted this long after capture, no longer. The 6-digit code and the QR token
   * rotate every 30 s, so a code captured offline has long expired when it arrives; it is checked against the
   * capture time instead. That trusts the phone's clock, so the window is kept short: a photo of the secretary's
   * screen passed around after the meeting stops working 3 hours later, while a member whose meeting room had no
   * signal gets home in time.
   */
  maxGapMinutes: 180,
  /** Sent more than this after capture: flagged (lateUpload) on the sign-in for the secretary. */
  lateUploadMinutes: 10,
} as const;
