import type { QuizKind } from '@pioneer/shared';

/** Said kindly when an attempt will not earn points (Attempt.pays === false). */
export const PRACTICE_NOTES: Record<QuizKind, string> = {
  daily: '今日已交过卷，本次为练习',
  weekly: '本周已交过卷，本次为练习',
  topic: '这个专题已交过卷，本次为练习',
  challenge: '今日挑战已得分，本次为练习',
  mistakes: '错题练习，本次不计分',
};
