import type { CreateQuestionBody } from '@pioneer/shared';
import bank from './seed-bank.json';

/**
 * The shipped question bank (党章党规, 党史, 三会一课, 组织生活, 党员权利义务, 基层治理, 党员积分制, 乡村振兴, 为民服务),
 * loaded with the demo county; an admin imports more from CSV or XLSX. server/test/seed-bank.test.ts checks every
 * question against the same rules as the console.
 */
export const SEED_BANK = bank as CreateQuestionBody[];
