import type { QuestionType } from '@pioneer/shared';
import { banksOf, ownerOf } from '../../policy/questions';
import { sharedValue } from '../../db/shared-view';
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
  /** 'platform' or the county whose own question it is. */
  owner: string;
}

export interface Bank {
  version: number;
  active: BankQuestion[];
  byId: Map<string, BankQuestion>;
  byTag: Map<string, BankQuestion[]>;
}

let cached: Bank | null = null;
/** Per county, the platform's questions and the county's own, cut from `cached` (cleared when it reloads). */
const countyViews = new Map<string, Bank>();

function indexed(version: number, active: BankQuestion[]): Bank {
  const byTag = new Map<string, BankQuestion[]>();
  for (const q of active) for (const tag of q.tags) (byTag.get(tag) ?? byTag.set(tag, []).get(tag)!).push(q);
  return { version, active, byId: new Map(active.map((q) => [q.id, q])), byTag };
}

/**
 * The bank's version, a key read at most once a second per process (a quiz submit asks for the bank once per
 * question). An edit through this process is seen at once (`bankChanged` forgets it); one made through another
 * process is seen within SHARED_VIEW_MS.
 */
const bankVersion = sharedValue(async (_: 'bank') => (await QuizMetaModel.findById('bank').lean())?.v ?? 0, 1);

/**
 * The active question bank, held in memory: a county's bank is hundreds of questions, and picking from memory
 * keeps starting a quiz to key reads. The version says when to read it again.
 */
export async function activeBank(): Promise<Bank> {
  const version = await bankVersion.get('bank');
  if (cached && cached.version === version) return cached;
  // A deliberate scan: only after the bank changed.
  const docs = await QuestionModel.find({ active: true }).lean();
  const active: BankQuestion[] = docs.map((d) => ({
    id: d._id,
    type: d.type as QuestionType,
    stem: d.stem,
    options: d.options,
    answer: d.answer,
    explanation: d.explanation,
    tags: d.tags,
    difficulty: d.difficulty,
    owner: ownerOf(d),
  }));
  countyViews.clear();
  cached = indexed(version, active);
  return cached;
}

/**
 * The active questions a member of `county` is quizzed on: the platform's and their county's own (never another
 * county's). Cut from the whole bank in memory once per bank version and county, so picking stays key reads.
 */
export async function bankFor(county: string | null): Promise<Bank> {
  const all = await activeBank();
  const key = county ?? '';
  const view = countyViews.get(key);
  if (view && view.version === all.version) return view;
  const owners = new Set(banksOf(county));
  const made = indexed(
    all.version,
    all.active.filter((q) => owners.has(q.owner)),
  );
  countyViews.set(key, made);
  return made;
}

/** Any question, active or not (a deactivated one still grades the attempts that showed it). */
export async function questionById(id: string): Promise<BankQuestion | null> {
  const fromBank = (await activeBank()).byId.get(id);
  if (fromBank) return fromBank;
  const d = await QuestionModel.findById(id).lean();
  if (!d) return null;
  return {
    id: d._id,
    type: d.type as QuestionType,
    stem: d.stem,
    options: d.options,
    answer: d.answer,
    explanation: d.explanation,
    tags: d.tags,
    difficulty: d.difficulty,
    owner: ownerOf(d),
  };
}

/**
 * A new version that no other database's bank has: a counter started at 1 in every fresh database, and a process
 * that moved to another one (the benchmark's sizes, a restored backup) kept serving the first bank's questions.
 */
export async function bankChanged(): Promise<void> {
  const v = Date.now() * 1000 + Math.floor(Math.random() * 1000);
  await QuizMetaModel.updateOne({ _id: 'bank' }, { $set: { v } }, { upsert: true });
  bankVersion.forget('bank');
}
