import { capId, feedId, parseScopeKey, payKey, scopeKey, totalId } from '../src/modules/points/keys';

/** The keys are stored `_id`s: a format that changed would orphan every payment, total and feed already written. */
describe('points keys', () => {
  test('when a payment key is built, then it is the format already stored for that rule', () => {
    expect(payKey('daily_quiz', 'u1', '2026-11-25')).toBe('quiz|daily|u1|2026-11-25');
    expect(payKey('weekly_quiz', 'u1', '2026-W48')).toBe('quiz|weekly|u1|2026-W48');
    expect(payKey('topic_quiz', 'u1', '党章')).toBe('quiz|topic|u1|党章');
    expect(payKey('challenge_quiz', 'u1', '2026-11-25')).toBe('quiz|challenge|u1|2026-11-25');
    expect(payKey('checkin', 'u1', '2026-11-25')).toBe('checkin|u1|2026-11-25');
    expect(payKey('commitment_approved', 'u1', 2026)).toBe('commitment|approved|u1|2026');
    expect(payKey('commitment_evaluated', 'u1', 2026)).toBe('commitment|evaluated|u1|2026');
    expect(payKey('post_service', 'u1', 'r9')).toBe('record|r9');
    expect(payKey('wish_fulfilled', 'u1', 'w9')).toBe('wish|w9');
    expect(payKey('activity_attended', 'u1', 'a9')).toBe('activity|a9|u1');
    expect(payKey('review_grade', 'u1', 2026)).toBe('review|grade|u1|2026');
  });

  test('when storage ids are built, then a scope key parses back and totals, caps and feeds keep their formats', () => {
    expect(parseScopeKey(scopeKey('month:2026-11', 'org1'))).toEqual({ periodId: 'month:2026-11', scopeId: 'org1' });
    expect(totalId('all', 'self', 'u1')).toBe('all|self|u1');
    expect(capId('checkin', '2026-11-25', 'u1')).toBe('checkin|2026-11-25|u1');
    expect(feedId('u1', '2026-11')).toBe('u1|2026-11');
  });
});
