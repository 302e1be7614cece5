import { DEFAULT_POINT_RULES, grantFromClaims, ruleFor } from './points';
import { maskName, maskPhone } from './mask';

describe('points rules', () => {
  test('when the default table is read, then it carries the caps of the rules table', () => {
    expect(ruleFor('daily_quiz').cap).toEqual({ per: 'day', max: 5 });
    expect(ruleFor('weekly_quiz').cap).toEqual({ per: 'week', max: 10 });
    expect(ruleFor('post_service').cap).toEqual({ per: 'day', max: 8 });
    expect(ruleFor('checkin').cap).toEqual({ per: 'day', max: 1 });
    expect(ruleFor('wish_fulfilled').cap).toBeNull();
    expect(new Set(DEFAULT_POINT_RULES.map((r) => r.reason)).size).toBe(DEFAULT_POINT_RULES.length);
  });
});

describe('grantFromClaims', () => {
  const claims = [
    { key: 'a', asked: 3 },
    { key: 'b', asked: 4 },
    { key: 'c', asked: 2 },
  ];

  test('when claims pass the cap, then each gets what is left in landing order', () => {
    expect(grantFromClaims(claims, 'a', 5)).toBe(3);
    expect(grantFromClaims(claims, 'b', 5)).toBe(2);
    expect(grantFromClaims(claims, 'c', 5)).toBe(0);
  });

  test('when a key claims twice (a retry), then only its first claim counts and others are not squeezed', () => {
    const retried = [claims[0]!, claims[0]!, claims[1]!];
    expect(grantFromClaims(retried, 'b', 8)).toBe(4);
    expect(grantFromClaims(retried, 'a', 8)).toBe(3);
  });

  test('when a key never claimed, then it is granted nothing', () => {
    expect(grantFromClaims(claims, 'zzz', 100)).toBe(0);
  });
});

describe('masking', () => {
  test('when a phone number is shown to others, then the middle four digits are hidden', () => {
    expect(maskPhone('13912345678')).toBe('139****5678');
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone('12345')).toBe('*****');
  });

  test('when a resident name is shown to members, then only the first and last characters remain', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳小明')).toBe('欧**明');
    expect(maskName('李')).toBe('李');
  });
});
