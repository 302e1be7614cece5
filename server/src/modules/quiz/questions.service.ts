import {
  CreateQuestionBodySchema,
  questionProblem,
  stemKey,
  type CreateQuestionBody,
  type ImportReport,
  type PatchQuestionBody,
  type Question,
  type QuestionListQuery,
  type QuestionPage,
} from '@pioneer/shared';
import { isDuplicateKey } from '../../db/connect';
import { newId } from '../../db/ids';
import { AppError, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { recordAudit } from '../audit/audit.service';
import { bankChanged } from './bank';
import { parseQuestionSheet } from './import';
import { QuestionModel, type QuestionDoc } from './quiz.model';

export function questionOut(d: QuestionDoc): Question {
  return {
    id: d._id,
    type: d.type as Question['type'],
    stem: d.stem,
    options: d.options,
    answer: d.answer as Question['answer'],
    explanation: d.explanation,
    tags: d.tags,
    difficulty: d.difficulty,
    active: d.active,
  };
}

/** The admin console's list. A deliberate scan: the bank is hundreds of questions and only admins page it. */
export async function listQuestions(query: QuestionListQuery): Promise<QuestionPage> {
  const filter: Record<string, unknown> = {};
  if (query.tag) filter.tags = query.tag;
  if (query.type) filter.type = query.type;
  if (query.active) filter.active = query.active === 'true';
  let docs = await QuestionModel.find(filter).sort({ createdAt: -1, _id: 1 }).lean<QuestionDoc[]>();
  if (query.q) docs = docs.filter((d) => d.stem.includes(query.q!) || d.tags.some((t) => t.includes(query.q!)));
  const offset = Number(query.cursor ?? 0);
  const page = docs.slice(offset, offset + query.limit);
  const next = offset + page.length;
  return { items: page.map(questionOut), nextCursor: next < docs.length ? String(next) : null, total: docs.length };
}

async function insertQuestion(body: CreateQuestionBody): Promise<QuestionDoc> {
  const doc = { _id: newId(), ...body, stemKey: stemKey(body.stem) };
  await QuestionModel.create(doc);
  return doc as QuestionDoc;
}

export async function createQuestion(actor: SessionUser, body: CreateQuestionBody): Promise<Question> {
  try {
    const doc = await insertQuestion(body);
    await bankChanged();
    await recordAudit({ actorId: actor.id, action: 'question.create', targetType: 'question', targetId: doc._id });
    return questionOut(doc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', '题库中已有相同题干的题目');
    throw err;
  }
}

export async function patchQuestion(actor: SessionUser, id: string, body: PatchQuestionBody): Promise<Question> {
  const current = await QuestionModel.findById(id).lean<QuestionDoc>();
  if (!current) throw notFound('题目');
  const merged = { ...questionOut(current), ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) };
  const problem = questionProblem(merged);
  if (problem) throw invalid(problem);
  try {
    await QuestionModel.updateOne({ _id: id }, { $set: { ...body, stemKey: stemKey(merged.stem) } });
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError('CONFLICT', '题库中已有相同题干的题目');
    throw err;
  }
  await bankChanged();
  await recordAudit({ actorId: actor.id, action: 'question.update', targetType: 'question', targetId: id, details: { ...body } });
  return questionOut((await QuestionModel.findById(id).lean<QuestionDoc>())!);
}

/**
 * Imports a CSV or XLSX sheet: every row is checked with the same schema as the console form; bad rows are
 * reported by their row number and nothing of them is written; stems already in the bank are skipped.
 */
export async function importQuestions(actor: SessionUser | null, file: { buffer: Buffer; name: string }): Promise<ImportReport> {
  const rows = await parseQuestionSheet(file.buffer, file.name);
  const report: ImportReport = { imported: 0, skipped: 0, errors: [] };
  for (const row of rows) {
    if ('error' in row) {
      report.errors.push({ row: row.row, message: row.error });
      continue;
    }
    const parsed = CreateQuestionBodySchema.safeParse(row.question);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      report.errors.push({ row: row.row, message: `${issue.path.join('.') || '题目'}：${issue.message}` });
      continue;
    }
    try {
      await insertQuestion(parsed.data);
      report.imported += 1;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      report.skipped += 1;
    }
  }
  if (report.imported > 0) await bankChanged();
  if (actor) await recordAudit({ actorId: actor.id, action: 'question.import', targetType: 'question', targetId: file.name, details: { ...report, errors: report.errors.length } });
  return report;
}

/** Loads a list of questions (the shipped seed bank), skipping stems already there. */
export async function loadQuestions(questions: CreateQuestionBody[]): Promise<{ imported: number; skipped: number }> {
  let imported = 0;
  let skipped = 0;
  for (const q of questions) {
    try {
      await insertQuestion(CreateQuestionBodySchema.parse(q));
      imported += 1;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      skipped += 1;
    }
  }
  await bankChanged();
  return { imported, skipped };
}
