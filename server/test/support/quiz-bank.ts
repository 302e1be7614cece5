import type { CreateQuestionBody } from '@pioneer/shared';

/**
 * `count` judge questions whose answer is A (正确), stems `<prefix><i>：这句话是对的。`, all tagged `tag`: with 20, two
 * fresh papers (5 each) almost surely differ, and a test answers A for right and B for wrong.
 */
export function judgeBank(count: number, prefix: string, tag: string): CreateQuestionBody[] {
  return Array.from({ length: count }, (_, i) => ({
    type: 'judge' as const,
    stem: `${prefix}${i}：这句话是对的。`,
    options: ['正确', '错误'],
    answer: ['A' as const],
    explanation: `解析${i}`,
    tags: [tag],
    difficulty: 1,
    active: true,
  }));
}
