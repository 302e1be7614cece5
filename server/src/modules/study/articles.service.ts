import {
  minReadSeconds,
  STUDY_RULES,
  type AdminArticleRow,
  type ArticleSummary,
  type ArticleView,
  type CreateArticleBody,
  type PatchArticleBody,
  type StudyTopic,
} from '@pioneer/shared';
import { newId } from '../../db/ids';
import { AppError, notFound } from '../../http/errors';
import type { SessionUser } from '../../http/types';
import { authorize, defaultCountyStart } from '../../policy';
import { OrgModel } from '../orgs/orgs.model';
import { paidEntry } from '../points/points.service';
import { payKey } from '../points/keys';
import { richTextPlain, sanitizeRichText } from '../uploads/rich-text';
import {
  adminLines,
  lineOf,
  linesOf,
  placedItem,
  placedOrg,
  putLine,
  statsColumns,
  summaryOf,
  visibleItems,
} from './catalogue';
import {
  ArticleModel,
  ArticleStatsModel,
  CatalogModel,
  ReaderModel,
  type ArticleDoc,
  type CatalogItem,
} from './study.model';

/** The minimum in force: the admin's own, else the one from the length. */
export const minSecondsOf = (a: Pick<ArticleDoc, 'minSecondsSet' | 'chars'>): number =>
  a.minSecondsSet ?? minReadSeconds(a.chars);

/** The body as stored and its reader's length; a body that cleans to nothing is refused. */
function cleanBody(html: string): { body: string; chars: number } {
  const body = sanitizeRichText(html);
  const chars = richTextPlain(body).length;
  if (chars === 0) throw new AppError('VALIDATION_FAILED', '正文不能为空（不支持的内容已被去除）');
  return { body, chars };
}

function catalogItem(a: ArticleDoc, orgName: string): CatalogItem {
  return {
    ...lineOf(a, orgName, a.publishedAt),
    cover: a.cover ?? null,
    chars: a.chars,
    minSeconds: minSecondsOf(a),
    minSecondsSet: a.minSecondsSet ?? null,
  };
}

const catalogOf = (countyId: string) => linesOf<CatalogItem>(CatalogModel, countyId);

/** 发布: an admin places an article at an org of their subtree; the body is sanitized before it is stored. */
export async function publishArticle(actor: SessionUser, input: CreateArticleBody, now = new Date()) {
  const org = await placedOrg(input.org);
  authorize(actor, 'study.publish', org);
  const countyId = org.path[0] ?? org._id;
  if ((await catalogOf(countyId)).length >= STUDY_RULES.catalogMax)
    throw new AppError('CONFLICT', `本县学习文章已达${STUDY_RULES.catalogMax}篇上限`);
  const { body, chars } = cleanBody(input.body);
  const doc = {
    _id: newId(),
    title: input.title,
    topic: input.topic,
    cover: input.cover,
    source: input.source,
    body,
    chars,
    minSecondsSet: input.minSeconds,
    orgId: org._id,
    orgPath: org.path,
    countyId,
    createdBy: actor.id,
    publishedAt: now,
  };
  await ArticleModel.create(doc);
  await putLine(CatalogModel, countyId, catalogItem(doc as ArticleDoc, org.name));
  return adminRow(doc as ArticleDoc, org.name);
}

export async function patchArticle(actor: SessionUser, id: string, patch: PatchArticleBody) {
  const article = await ArticleModel.findById(id).lean<ArticleDoc>();
  if (!article) throw notFound('文章');
  const org = await placedOrg(article.orgId);
  authorize(actor, 'study.publish', org);
  const set: Record<string, unknown> = {};
  for (const key of ['title', 'topic', 'cover', 'source'] as const) if (patch[key] !== undefined) set[key] = patch[key];
  if (patch.minSeconds !== undefined) set.minSecondsSet = patch.minSeconds;
  if (patch.body !== undefined) Object.assign(set, cleanBody(patch.body));
  const next = await ArticleModel.findOneAndUpdate(
    { _id: id },
    { $set: set },
    { returnDocument: 'after' },
  ).lean<ArticleDoc>();
  if (!next) throw notFound('文章');
  await putLine(CatalogModel, next.countyId, catalogItem(next, org.name));
  return adminRow(next, org.name);
}

function summary(item: CatalogItem, read?: boolean): ArticleSummary {
  return {
    ...summaryOf(item),
    cover: item.cover ?? null,
    chars: item.chars!,
    minSeconds: item.minSeconds!,
    ...(read === undefined ? {} : { read }),
  };
}

/** The member's articles (their county's catalogue, those placed in their chain), newest first, with 已学 marks. */
export async function listArticles(
  actor: SessionUser,
  filter: { topic?: StudyTopic; q?: string; fav?: '1' },
): Promise<ArticleSummary[]> {
  const county = defaultCountyStart(actor);
  if (!county) return [];
  const [items, reader] = await Promise.all([catalogOf(county), ReaderModel.findById(actor.id).lean()]);
  const read = new Set(reader?.read ?? []);
  const favs = new Set(reader?.favs ?? []);
  return visibleItems(actor, items, filter, favs).map((i) => ({
    ...summary(i, read.has(i.id!)),
    fav: favs.has(i.id!),
  }));
}

/** One article to read: its body, whether its point was paid to this member. */
export async function getArticle(actor: SessionUser, id: string): Promise<ArticleView> {
  const article = await readableArticle(actor, id);
  const org = await OrgModel.findById(article.orgId).lean();
  const [paid, reader] = await Promise.all([
    paidEntry(payKey('study_read', actor.id, id)),
    ReaderModel.findById(actor.id).lean(),
  ]);
  return {
    ...summary(catalogItem(article, (org?.name as string) ?? ''), (reader?.read ?? []).includes(id)),
    fav: (reader?.favs ?? []).includes(id),
    body: article.body,
    paid: paid !== null && paid.delta > 0,
  };
}

export async function readableArticle(actor: SessionUser, id: string): Promise<ArticleDoc> {
  const article = await ArticleModel.findById(id).lean<ArticleDoc>();
  if (!article) throw notFound('文章');
  authorize(actor, 'study.read', placedItem(article));
  return article;
}

function withStats(item: CatalogItem, stats: Parameters<typeof statsColumns>[0]): AdminArticleRow {
  return { ...summary(item), ...statsColumns(stats), minSecondsSet: item.minSecondsSet ?? null };
}

async function adminRow(a: ArticleDoc, orgName: string): Promise<AdminArticleRow> {
  return withStats(catalogItem(a, orgName), await ArticleStatsModel.findById(a._id).lean());
}

/** The console's list: articles placed in the admin's subtree, with reads, completion rate and average time. */
export const adminArticles = (actor: SessionUser): Promise<AdminArticleRow[]> =>
  adminLines(actor, CatalogModel, ArticleStatsModel, withStats);
