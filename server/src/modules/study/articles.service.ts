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
import { adminRootOf, authorize, can, defaultCountyStart } from '../../policy';
import { OrgModel } from '../orgs/orgs.model';
import { paidEntry } from '../points/points.service';
import { payKey } from '../points/keys';
import { richTextPlain, sanitizeRichText } from '../uploads/rich-text';
import { placedItem, visibleItems } from './catalogue';
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

async function placedOrg(orgId: string) {
  const org = await OrgModel.findById(orgId).lean();
  if (!org) throw notFound('组织');
  return { _id: org._id as string, path: (org.path ?? []) as string[], name: org.name as string };
}

/** The body as stored and its reader's length; a body that cleans to nothing is refused. */
function cleanBody(html: string): { body: string; chars: number } {
  const body = sanitizeRichText(html);
  const chars = richTextPlain(body).length;
  if (chars === 0) throw new AppError('VALIDATION_FAILED', '正文不能为空（不支持的内容已被去除）');
  return { body, chars };
}

function catalogItem(a: ArticleDoc, orgName: string): CatalogItem {
  return {
    id: a._id,
    title: a.title,
    topic: a.topic,
    cover: a.cover ?? null,
    source: a.source ?? '',
    orgId: a.orgId,
    orgPath: a.orgPath,
    orgName,
    chars: a.chars,
    minSeconds: minSecondsOf(a),
    minSecondsSet: a.minSecondsSet ?? null,
    publishedAt: a.publishedAt,
  };
}

/** Writes an article's line in its county's catalogue: one `$set` of its own key, so edits never race a publish. */
async function putInCatalog(countyId: string, item: CatalogItem): Promise<void> {
  await CatalogModel.updateOne({ _id: countyId }, { $set: { [`items.${item.id}`]: item } }, { upsert: true });
}

/** The lines of a county's catalogue (a plain object once read lean). */
async function catalogOf(countyId: string): Promise<CatalogItem[]> {
  const doc = await CatalogModel.findById(countyId).lean();
  return Object.values((doc?.items ?? {}) as Record<string, CatalogItem>);
}

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
  await putInCatalog(countyId, catalogItem(doc as ArticleDoc, org.name));
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
  await putInCatalog(next.countyId, catalogItem(next, org.name));
  return adminRow(next, org.name);
}

function summary(item: CatalogItem, read?: boolean): ArticleSummary {
  return {
    id: item.id!,
    title: item.title!,
    topic: item.topic as StudyTopic,
    cover: item.cover ?? null,
    source: item.source ?? '',
    orgId: item.orgId!,
    orgName: item.orgName ?? '',
    chars: item.chars!,
    minSeconds: item.minSeconds!,
    publishedAt: new Date(item.publishedAt!).toISOString(),
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

type Stats = { opens?: number | null; completions?: number | null; completedMs?: number | null } | null;

function withStats(item: CatalogItem, stats: Stats): AdminArticleRow {
  const opens = stats?.opens ?? 0;
  const completions = stats?.completions ?? 0;
  return {
    ...summary(item),
    opens,
    completions,
    completionRate: opens ? completions / opens : 0,
    averageSeconds: completions ? Math.round((stats?.completedMs ?? 0) / completions / 1000) : 0,
    minSecondsSet: item.minSecondsSet ?? null,
  };
}

async function adminRow(a: ArticleDoc, orgName: string): Promise<AdminArticleRow> {
  return withStats(catalogItem(a, orgName), await ArticleStatsModel.findById(a._id).lean());
}

/**
 * The console's list: articles placed in the admin's subtree, with reads, completion rate and average time. One
 * catalogue read and a key read of each article's counters (an admin's page, bounded by the catalogue).
 */
export async function adminArticles(actor: SessionUser): Promise<AdminArticleRow[]> {
  const root = adminRootOf(actor);
  if (!root) return [];
  const rootOrg = await placedOrg(root);
  const items = (await catalogOf(rootOrg.path[0] ?? rootOrg._id)).filter((i) =>
    can(actor, 'study.publish', { _id: i.orgId!, path: i.orgPath ?? [] }),
  );
  const stats = await Promise.all(items.map((i) => ArticleStatsModel.findById(i.id).lean()));
  return items.map((i, n) => withStats(i, stats[n] ?? null)).sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}
