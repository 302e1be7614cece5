import type { QuestionType } from '@pioneer/shared';
import { QuestionModel, QuizMetaModel } from './quiz.model';

export interface BankQuestion {
  id: string;
  type: QuestionType;
  stem: string;
  options: string[];
  answer: string[];
  explanation: string;
  tags: string[];
  difficulty: number;
}

interface Bank {
  version: number;
  active: BankQuestion[];
  byId: Map<string, BankQuestion>;
  byTag: Map<string, BankQuestion[]>;
}

let cached: Bank | null = null;

/**
 * The active question bank, held in memory: a county's bank is hundreds of questions, and picking from memory
 * keeps starting a quiz to key reads. One key read per call checks the bank version, so an edit made through
 * any server is seen at once by all of them.
 */
export async function activeBank(): Promise<Bank> {
  const meta = await QuizMetaModel.findById('bank').lean();
  const version = meta?.v ?? 0;
  if (cached && cached.version === version) return cached;
  // A deliberate scan: only after the bank changed.
  const docs = await QuestionModel.find({ active: true }).lean();
  const active = docs.map((d) => ({
    id: d._id,
    type: d.type as QuestionType,
    stem: d.stem,
    options: d.options,
    answer: d.answer,
    explanation: d.explanation,
    tags: d.tags,
    difficulty: d.difficulty,
  }));
  const byTag = new Map<string, BankQuestion[]>();
  for (const q of active) for (const tag of q.tags) (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(q);
  cached = { version, active, byId: new Map(active.map((q) => [q.id, q])), byTag };
  return cached;
}

/** Any question, active or not (a deactivated one still grades the attempts that showed it). */
export async function questionById(id: string): Promise<BankQuestion | null> {
  const fromBank = (await activeBank()).byId.get(id);
  if (fromBank) return fromBank;
  const d = await QuestionModel.findById(id).lean();
  if (!d) return null;
  return { id: d._id, type: d.type as QuestionType, stem: d.stem, options: d.options, answer: d.answer, explanation: d.explanation, tags: d.tags, difficulty: d.difficulty };
}

export async function bankChanged(): Promise<void> {
  await QuizMetaModel.updateOne({ _id: 'bank' }, { $inc: { v: 1 } }, { upsert: true });
}
