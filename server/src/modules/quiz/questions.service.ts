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
import { AppError, forbidden, invalid, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { adminRootOf, authorize, can, defaultCountyStart, REFUSALS, type Placed } from '../../policy';
import { banksOf, countyBankOf, ownerOf, PLATFORM_BANK } from '../../policy/questions';
import { recordAudit } from '../audit/audit.service';
import { OrgModel } from '../orgs/orgs.model';
import { bankChanged } from './bank';
import { parseQuestionSheet } from './import';
import { QuestionModel, type QuestionDoc } from './quiz.model';

export function questionOut(d: QuestionDoc, viewer: SessionUser): Question {
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
    owner: ownerOf(d),
    editable: can(viewer, 'question.edit', d),
  };
}

/** The org an admin runs (its id and path), or null. */
async function adminRootOrg(actor: SessionUser): Promise<Placed | null> {
  const root = adminRootOf(actor);
  const org = root ? await OrgModel.findById(root).lean() : null;
  return org ? { _id: org._id, path: org.path } : null;
}

/** The county bank an admin adds questions to: their county, if they run the whole of it (else 403). */
export async function bankToAddTo(actor: SessionUser): Promise<string> {
  const org = await adminRootOrg(actor);
  if (!org) throw forbidden(REFUSALS['question.create']);
  authorize(actor, 'question.create', org);
  return org._id;
}

/** Unique per bank: a county's own questions are keyed under the county, the platform's plainly. */
const bankStemKey = (owner: string, stem: string) =>
  owner === PLATFORM_BANK ? stemKey(stem) : `${owner}|${stemKey(stem)}`;

/**
 * Stem keys of the platform bank, which every county's members get: a county's copy of one would be asked twice.
 * A deliberate scan, once per create, edit or import (admins only, hundreds of questions).
 */
async function platformStemKeys(): Promise<Set<string>> {
  const docs = await QuestionModel.find({}, { stemKey: 1, owner: 1 }).lean<
    Array<{ stemKey: string; owner?: string | null }>
  >();
  return new Set(docs.filter((d) => ownerOf(d) === PLATFORM_BANK).map((d) => d.stemKey));
}

const duplicate = () => new AppError('CONFLICT', '题库中已有相同题干的题目');

/**
 * The admin console's list: the platform bank (read-only) and the admin's county's own questions, each marked
 * whether this admin may edit it. A deliberate scan: the bank is hundreds of questions and only admins page it.
 */
export async function listQuestions(actor: SessionUser, query: QuestionListQuery): Promise<QuestionPage> {
  const filter: Record<string, unknown> = {};
  if (query.tag) filter.tags = query.tag;
  if (query.type) filter.type = query.type;
  if (query.active) filter.active = query.active === 'true';
  const root = await adminRootOrg(actor);
  const owners = new Set(banksOf(root ? countyBankOf(root) : defaultCountyStart(actor)));
  let docs = await QuestionModel.find(filter).sort({ createdAt: -1, _id: 1 }).lean<QuestionDoc[]>();
  docs = docs.filter((d) => owners.has(ownerOf(d)));
  if (query.q) docs = docs.filter((d) => d.stem.includes(query.q!) || d.tags.some((t) => t.includes(query.q!)));
  const offset = Number(query.cursor ?? 0);
  const page = docs.slice(offset, offset + query.limit);
  const next = offset + page.length;
  const canCreate = root !== null && can(actor, 'question.create', root);
  return {
    items: page.map((d) => questionOut(d, actor)),
    nextCursor: next < docs.length ? String(next) : null,
    total: docs.length,
    canCreate,
  };
}

async function insertQuestion(body: CreateQuestionBody, owner: string): Promise<QuestionDoc> {
  const doc = { _id: newId(), ...body, owner, stemKey: bankStemKey(owner, body.stem) };
  await QuestionModel.create(doc);
  return doc as QuestionDoc;
}

/** A county admin's own question for their county's bank. */
export async function createQuestion(actor: SessionUser, body: CreateQuestionBody): Promise<Question> {
  const county = await bankToAddTo(actor);
  if ((await platformStemKeys()).has(stemKey(body.stem))) throw duplicate();
  try {
    const doc = await insertQuestion(body, county);
    await bankChanged();
    await recordAudit({ actorId: actor.id, action: 'question.create', targetType: 'question', targetId: doc._id });
    return questionOut(doc, actor);
  } catch (err) {
    if (isDuplicateKey(err)) throw duplicate();
    throw err;
  }
}

/** Edits or deactivates a question: only a county's own, only by admins over that county (policy 'question.edit'). */
export async function patchQuestion(actor: SessionUser, id: string, body: PatchQuestionBody): Promise<Question> {
  const current = await QuestionModel.findById(id).lean<QuestionDoc>();
  if (!current) throw notFound('题目');
  authorize(actor, 'question.edit', current);
  const merged = {
    ...questionOut(current, actor),
    ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)),
  };
  const problem = questionProblem(merged);
  if (problem) throw invalid(problem);
  if (body.stem !== undefined && (await platformStemKeys()).has(stemKey(merged.stem))) throw duplicate();
  try {
    await QuestionModel.updateOne(
      { _id: id },
      { $set: { ...body, stemKey: bankStemKey(ownerOf(current), merged.stem) } },
    );
  } catch (err) {
    if (isDuplicateKey(err)) throw duplicate();
    throw err;
  }
  await bankChanged();
  await recordAudit({
    actorId: actor.id,
    action: 'question.update',
    targetType: 'question',
    targetId: id,
    details: { ...body },
  });
  return questionOut((await QuestionModel.findById(id).lean<QuestionDoc>())!, actor);
}

const FIELD_NAMES: Record<string, string> = {
  type: '类型',
  stem: '题干',
  options: '选项',
  answer: '答案',
  explanation: '解析',
  tags: '标签',
  difficulty: '难度',
};

/** A schema issue the row check did not catch first, in Chinese: the field's name, and the message only if it is ours. */
function issueText(issue: { path: PropertyKey[]; message: string }): string {
  const field = FIELD_NAMES[String(issue.path[0])] ?? '题目';
  return /[\u4e00-\u9fff]/.test(issue.message) ? `${field}：${issue.message}` : `${field}格式不正确`;
}

/**
 * Imports a CSV or XLSX sheet: every row is checked with the same schema as the console form; bad rows are
 * reported by their row number and nothing of them is written; stems already in the bank are skipped.
 */
export async function importQuestions(
  actor: SessionUser,
  file: { buffer: Buffer; name: string },
): Promise<ImportReport> {
  const county = await bankToAddTo(actor);
  const platform = await platformStemKeys();
  const rows = await parseQuestionSheet(file.buffer, file.name);
  const report: ImportReport = { imported: 0, skipped: 0, errors: [] };
  for (const row of rows) {
    if ('error' in row) {
      report.errors.push({ row: row.row, message: row.error });
      continue;
    }
    const parsed = CreateQuestionBodySchema.safeParse(row.question);
    if (!parsed.success) {
      report.errors.push({ row: row.row, message: issueText(parsed.error.issues[0]!) });
      continue;
    }
    if (platform.has(stemKey(parsed.data.stem))) {
      report.skipped += 1;
      continue;
    }
    try {
      await insertQuestion(parsed.data, county);
      report.imported += 1;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      report.skipped += 1;
    }
  }
  if (report.imported > 0) await bankChanged();
  await recordAudit({
    actorId: actor.id,
    action: 'question.import',
    targetType: 'question',
    targetId: file.name,
    details: { ...report, errors: report.errors.length },
  });
  return report;
}

/** Loads a list of questions into the platform bank (the shipped seed bank), skipping stems already there. */
export async function loadQuestions(questions: CreateQuestionBody[]): Promise<{ imported: number; skipped: number }> {
  let imported = 0;
  let skipped = 0;
  for (const q of questions) {
    try {
      await insertQuestion(CreateQuestionBodySchema.parse(q), PLATFORM_BANK);
      imported += 1;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      skipped += 1;
    }
  }
  await bankChanged();
  return { imported, skipped };
}
