import { CreateQuestionBodySchema, stemKey } from '@pioneer/shared';
import { SEED_BANK } from '../src/modules/quiz/seed-bank';

const TOPICS = [
  '党章党规',
  '党史',
  '三会一课',
  '组织生活',
  '党员权利义务',
  '基层治理',
  '党员积分制',
  '乡村振兴',
  '为民服务',
];

describe('the shipped question bank', () => {
  test('when the seed bank is read, then it has at least 150 questions and each obeys the console rules', () => {
    expect(SEED_BANK.length).toBeGreaterThanOrEqual(150);
    const problems = SEED_BANK.map((q, i) => [i, CreateQuestionBodySchema.safeParse(q)] as const).filter(
      ([, r]) => !r.success,
    );
    expect(problems.map(([i, r]) => `${i}: ${SEED_BANK[i]!.stem} ${JSON.stringify(r.error?.issues)}`)).toEqual([]);
  });

  test('when stems are compared, then none repeats', () => {
    const keys = SEED_BANK.map((q) => stemKey(q.stem));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('when topics are offered, then each has a set of at least 10 questions', () => {
    for (const topic of TOPICS)
      expect(SEED_BANK.filter((q) => q.tags.includes(topic)).length).toBeGreaterThanOrEqual(10);
  });

  test('when a true/false question is written, then its options are 正确/错误 and its explanation is short', () => {
    for (const q of SEED_BANK) {
      if (q.type === 'judge') expect(q.options).toEqual(['正确', '错误']);
      expect(q.explanation.length).toBeLessThanOrEqual(80);
      expect(q.explanation.length).toBeGreaterThan(0);
    }
  });
});
