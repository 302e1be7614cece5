import { activityWhen, titleWithType, typeTag } from './activity';

describe('activity cards (issue 15)', () => {
  it('when the title already names the type, then the type is not said twice', () => {
    const a = { type: 'theme_day' as const, title: '主题党日：学习四中全会精神' };
    expect(typeTag(a)).toBeNull();
    expect(titleWithType(a)).toBe('主题党日：学习四中全会精神');
    const b = { type: 'theme_day' as const, title: '学习四中全会精神' };
    expect(typeTag(b)).toBe('主题党日');
    expect(titleWithType(b)).toBe('主题党日 · 学习四中全会精神');
  });

  it('an activity ending after midnight says 次日; one ending days later names its date', () => {
    // 20:00–次日 00:30 Shanghai (12:00–16:30 UTC).
    expect(activityWhen({ startsAt: '2026-11-28T12:00:00.000Z', endsAt: '2026-11-28T16:30:00.000Z' })).toBe(
      '11月28日 20:00–次日 00:30',
    );
    expect(activityWhen({ startsAt: '2026-11-28T01:00:00.000Z', endsAt: '2026-11-28T03:00:00.000Z' })).toBe(
      '11月28日 09:00–11:00',
    );
    expect(activityWhen({ startsAt: '2026-11-28T01:00:00.000Z', endsAt: '2026-11-30T03:00:00.000Z' })).toBe(
      '11月28日 09:00–11月30日 11:00',
    );
  });
});
