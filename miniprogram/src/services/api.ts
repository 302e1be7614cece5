/**
 * One typed function per endpoint. Request and response types come from the shared package (the same zod
 * schemas the server parses with), so the two sides cannot drift apart silently.
 */
import type { AuthResponse, LedgerPage, Me, MemberBoard, Org, OrgBoard, Period, PublicConfig } from '@pioneer/shared';
import type {
  Attempt,
  AttemptResult,
  ChallengeAnswerBody,
  ChallengeStep,
  CreateQuestionBody,
  ImportReport,
  MistakeList,
  PatchQuestionBody,
  Question,
  QuestionListQuery,
  QuestionPage,
  QuizToday,
  StartAttemptBody,
  SubmitAttemptBody,
} from '@pioneer/shared';
import type {
  Claim,
  CreatePostBody,
  CreateRecordBody,
  CreateWishBody,
  FulfilWishBody,
  MyClaimList,
  PatchPostBody,
  PatchWishBody,
  Post,
  PostListQuery,
  PostPage,
  PostSeats,
  RecordListQuery,
  RecordPage,
  RemoveClaimBody,
  ServiceRecord,
  ServiceReviewBody,
  UploadReply,
  Wish,
  WishListQuery,
  WishPage,
} from '@pioneer/shared';
import { newIdempotencyKey, request, type Method } from './request';
import { upload, type UploadFile } from './upload';

/**
 * One member action's write: its endpoint's method and path (named once, in `writes` below), the body typed by the
 * endpoint's shared schema, and the Idempotency-Key made once for the action. `send` and the offline queue both take
 * it, so every resend (a retry, the queued copy after a lost reply) carries the same key and the server applies the
 * action once.
 */
export interface Write<Reply> {
  method: Method;
  path: string;
  body: unknown;
  /** The Idempotency-Key (and the offline queue's id). */
  id: string;
  readonly reply?: Reply;
}

/** An endpoint as a value: `endpoint(body, ...pathArgs)` starts one action; `.path(...)` names where it goes. */
function endpoint<Args extends unknown[], Body, Reply>(method: Method, path: (...args: Args) => string) {
  const start = (body: Body, ...args: Args): Write<Reply> => ({
    method,
    path: path(...args),
    body,
    id: newIdempotencyKey(),
  });
  return Object.assign(start, { method, path });
}

const seg = encodeURIComponent;

/** The writes the offline queue may hold. */
export const writes = {
  checkIn: endpoint<[], import('@pioneer/shared').CheckinBody, import('@pioneer/shared').CheckinResult>(
    'POST',
    () => '/checkins',
  ),
  submitAttempt: endpoint<[attemptId: string], SubmitAttemptBody, AttemptResult>(
    'POST',
    (id) => `/quiz/attempts/${seg(id)}/submit`,
  ),
  activitySignin: endpoint<
    [activityId: string],
    import('@pioneer/shared').SigninBody,
    import('@pioneer/shared').SigninReply
  >('POST', (id) => `/activities/${seg(id)}/signin`),
};

/** Sends an action's write with its own key (quiet: the pages show failures themselves). */
export const send = <Reply>(w: Write<Reply>, opts: { quietNetwork?: boolean } = {}) =>
  request<Reply>({ method: w.method, path: w.path, body: w.body, idempotencyKey: w.id, quiet: true, ...opts });

export const getPublicConfig = () => request<PublicConfig>({ path: '/config/public', quiet: true });

export const loginDev = (openid: string) =>
  request<AuthResponse>({ method: 'POST', path: '/auth/dev', body: { openid } });

export const loginWechat = (code: string) =>
  request<AuthResponse>({ method: 'POST', path: '/auth/wechat', body: { code } });

export const getMe = () => request<Me>({ path: '/me', quiet: true });

export const getLedger = (cursor?: string | null) =>
  request<LedgerPage>({ path: '/points/ledger', query: { cursor }, quiet: true });

export const getMemberBoard = (params: { scope: string; period: Period; limit?: number }) =>
  request<MemberBoard>({ path: '/leaderboards/members', query: params, quiet: true });

export const getOrgBoard = (params: { parent: string; period: Period }) =>
  request<OrgBoard>({ path: '/leaderboards/orgs', query: params, quiet: true });

export const getOrg = (id: string) => request<Org>({ path: `/orgs/${encodeURIComponent(id)}`, quiet: true });

// ---- 学习答题 ----

export const getQuizToday = () => request<QuizToday>({ path: '/quiz/today', quiet: true });

export const startAttempt = (body: StartAttemptBody) =>
  request<Attempt>({ method: 'POST', path: '/quiz/attempts', body, quiet: true });

/** Quiet: the quiz page shows ATTEMPT_EXPIRED (and any other failure) itself. Submitting twice returns the same result. */
export const submitAttempt = (id: string, body: SubmitAttemptBody) => send(writes.submitAttempt(body, id));

export const answerChallenge = (id: string, body: ChallengeAnswerBody) =>
  request<ChallengeStep>({ method: 'POST', path: `/quiz/attempts/${encodeURIComponent(id)}/next`, body, quiet: true });

export const getMistakes = () => request<MistakeList>({ path: '/quiz/mistakes', quiet: true });

// ---- 题库管理 (admin). Quiet: the console shows errors beside the form. ----

export type QuestionFilters = Omit<Partial<QuestionListQuery>, 'cursor'>;

export const listQuestions = (filters: QuestionFilters, cursor?: string | null) =>
  request<QuestionPage>({ path: '/quiz/questions', query: { ...filters, cursor }, quiet: true });

export const createQuestion = (body: CreateQuestionBody) =>
  request<Question>({ method: 'POST', path: '/quiz/questions', body, quiet: true });

export const updateQuestion = (id: string, body: PatchQuestionBody) =>
  request<Question>({ method: 'PATCH', path: `/quiz/questions/${encodeURIComponent(id)}`, body, quiet: true });

/** A .csv or .xlsx sheet, sent as multipart field `file`. */
export const importQuestions = (file: UploadFile) =>
  upload<ImportReport>({ path: '/quiz/questions/import', file, quiet: true });

// ---- 驻村考勤 (check-ins). Quiet: the pages show OUT_OF_FENCE and friends themselves. ----

import type {
  CheckinBody,
  CheckinSettings,
  FenceVillageList,
  MyMonth,
  PendingList,
  Report,
  ReportFormat,
  ReportPeriodKind,
  ReviewBody,
  ReviewResult,
} from '@pioneer/shared';
import { buildUrl as checkinUrl } from './request';

export const checkIn = (body: CheckinBody) => send(writes.checkIn(body));

export const getMyCheckins = (month?: string) =>
  request<MyMonth>({ path: '/checkins/mine', query: { month }, quiet: true });

export const getPendingCheckins = (org?: string) =>
  request<PendingList>({ path: '/checkins/pending', query: { org }, quiet: true });

export const reviewCheckin = (id: string, body: ReviewBody) =>
  request<ReviewResult>({ method: 'POST', path: `/checkins/${encodeURIComponent(id)}/review`, body, quiet: true });

export interface ReportParams {
  org?: string;
  kind: ReportPeriodKind;
  /** `2026-05`, `2026-Q2`, `2026-H1` or `2026`, matching `kind`. */
  key: string;
}

const reportQuery = (p: ReportParams) => ({ org: p.org, [p.kind]: p.key });

export const getCheckinReport = (p: ReportParams) =>
  request<Report>({ path: '/checkins/report', query: reportQuery(p), quiet: true });

/** The export's URL (the caller adds the bearer token: see services/download). */
export const checkinReportUrl = (p: ReportParams, format: Exclude<ReportFormat, 'json'>) =>
  checkinUrl('/checkins/report', { ...reportQuery(p), format });

export const getCheckinSettings = (org?: string) =>
  request<CheckinSettings>({ path: '/checkins/settings', query: { org }, quiet: true });

export const putCheckinSettings = (org: string, requiredDays: number) =>
  request<CheckinSettings>({ method: 'PUT', path: '/checkins/settings', body: { org, requiredDays }, quiet: true });

export const getFenceVillages = (org?: string) =>
  request<FenceVillageList>({ path: '/checkins/villages', query: { org }, quiet: true });

export const setVillageFence = (id: string, fence: { lat: number; lng: number; radiusM: number } | null) =>
  request<Org>({ method: 'PATCH', path: `/orgs/${encodeURIComponent(id)}`, body: { fence }, quiet: true });

// ---- 认领公益岗位 · 微心愿 ----
// Claims and reviews are not quiet: the server's own words (该岗位已认领满员, 该心愿已被其他党员认领...) are the toast.

export const listPosts = (query: Omit<PostListQuery, 'cursor'>, cursor?: string | null) =>
  request<PostPage>({ path: '/posts', query: { ...query, cursor }, quiet: true });

export const getPost = (id: string) => request<Post>({ path: `/posts/${encodeURIComponent(id)}`, quiet: true });

export const createPost = (body: CreatePostBody) =>
  request<Post>({ method: 'POST', path: '/posts', body, quiet: true });

export const updatePost = (id: string, body: PatchPostBody) =>
  request<Post>({ method: 'PATCH', path: `/posts/${encodeURIComponent(id)}`, body, quiet: true });

export const claimPost = (id: string) =>
  request<Claim>({ method: 'POST', path: `/posts/${encodeURIComponent(id)}/claims` });

export const releasePost = (id: string) =>
  request<void>({ method: 'DELETE', path: `/posts/${encodeURIComponent(id)}/claims/mine` });

export const getPostSeats = (id: string) =>
  request<PostSeats>({ path: `/posts/${encodeURIComponent(id)}/claims`, quiet: true });

export const removeClaim = (claimId: string, body: RemoveClaimBody) =>
  request<Claim>({ method: 'POST', path: `/claims/${encodeURIComponent(claimId)}/remove`, body });

export const getMyClaims = () => request<MyClaimList>({ path: '/claims/mine', quiet: true });

export const logService = (claimId: string, body: CreateRecordBody) =>
  request<ServiceRecord>({ method: 'POST', path: `/claims/${encodeURIComponent(claimId)}/records`, body, quiet: true });

export const listRecords = (query: Omit<RecordListQuery, 'cursor'>, cursor?: string | null) =>
  request<RecordPage>({ path: '/records', query: { ...query, cursor }, quiet: true });

export const confirmRecord = (id: string, body: ServiceReviewBody = {}) =>
  request<ServiceRecord>({ method: 'POST', path: `/records/${encodeURIComponent(id)}/confirm`, body });

export const rejectRecord = (id: string, body: ServiceReviewBody = {}) =>
  request<ServiceRecord>({ method: 'POST', path: `/records/${encodeURIComponent(id)}/reject`, body });

export const listWishes = (query: Omit<WishListQuery, 'cursor'>, cursor?: string | null) =>
  request<WishPage>({ path: '/wishes', query: { ...query, cursor }, quiet: true });

export const getWish = (id: string) => request<Wish>({ path: `/wishes/${encodeURIComponent(id)}`, quiet: true });

export const createWish = (body: CreateWishBody) =>
  request<Wish>({ method: 'POST', path: '/wishes', body, quiet: true });

export const updateWish = (id: string, body: PatchWishBody) =>
  request<Wish>({ method: 'PATCH', path: `/wishes/${encodeURIComponent(id)}`, body, quiet: true });

export const claimWish = (id: string) =>
  request<Wish>({ method: 'POST', path: `/wishes/${encodeURIComponent(id)}/claim` });

export const releaseWish = (id: string) =>
  request<void>({ method: 'DELETE', path: `/wishes/${encodeURIComponent(id)}/claim` });

export const fulfilWish = (id: string, body: FulfilWishBody) =>
  request<Wish>({ method: 'POST', path: `/wishes/${encodeURIComponent(id)}/fulfil`, body, quiet: true });

export const confirmWish = (id: string, body: ServiceReviewBody = {}) =>
  request<Wish>({ method: 'POST', path: `/wishes/${encodeURIComponent(id)}/confirm`, body });

export const returnWish = (id: string, body: ServiceReviewBody = {}) =>
  request<Wish>({ method: 'POST', path: `/wishes/${encodeURIComponent(id)}/return`, body });

/** A photo (JPG/PNG/WebP, at most 5 MB) as multipart field `file`; the reply's url goes into photoUrls. */
export const uploadPhoto = (file: UploadFile) => upload<UploadReply>({ path: '/uploads', file, quiet: true });

// 亮身份 · 亮承诺
export const patchMe = (body: import('@pioneer/shared').PatchMeBody) =>
  request<Me>({ method: 'PATCH', path: '/me', body, quiet: true });

type Commitment = import('@pioneer/shared').Commitment;
const commitmentPath = (id: string, action: string) => `/commitments/${encodeURIComponent(id)}/${action}`;

export const getMyCommitment = (year?: number) =>
  request<import('@pioneer/shared').MyCommitment>({ path: '/commitments/mine', query: { year }, quiet: true });

export const saveMyCommitment = (body: import('@pioneer/shared').PutCommitmentBody) =>
  request<import('@pioneer/shared').MyCommitment>({ method: 'PUT', path: '/commitments/mine', body, quiet: true });

export const submitCommitment = (id: string) =>
  request<Commitment>({ method: 'POST', path: commitmentPath(id, 'submit'), quiet: true });

export const reviewCommitment = (id: string, body: import('@pioneer/shared').ReviewCommitmentBody) =>
  request<Commitment>({ method: 'POST', path: commitmentPath(id, 'review'), body, quiet: true });

export const addCommitmentProgress = (id: string, body: { text: string; photoUrls?: string[] }) =>
  request<Commitment>({ method: 'POST', path: commitmentPath(id, 'progress'), body, quiet: true });

export const evaluateCommitment = (id: string, body: import('@pioneer/shared').EvaluateBody) =>
  request<Commitment>({ method: 'POST', path: commitmentPath(id, 'evaluate'), body, quiet: true });

export const getCommitmentWall = (query: { org?: string; year?: number; limit?: number }, cursor?: string | null) =>
  request<import('@pioneer/shared').WallPage>({ path: '/commitments/wall', query: { ...query, cursor }, quiet: true });

export const getCommitmentQueue = (query: { org?: string; year?: number } = {}) =>
  request<import('@pioneer/shared').Queue>({ path: '/commitments/queue', query, quiet: true });

// County settings: ranking visibility and the points rules in force.
export const getRankingSettings = (org: string) =>
  request<import('@pioneer/shared').RankingSettings>({ path: '/settings/ranking', query: { org }, quiet: true });
export const putRankingSettings = (body: import('@pioneer/shared').RankingSettings) =>
  request<import('@pioneer/shared').RankingSettings>({ method: 'PUT', path: '/settings/ranking', body, quiet: true });
export const getPointsRules = (org: string, at?: string) =>
  request<import('@pioneer/shared').PointsRulesView>({
    path: '/settings/points-rules',
    query: { org, at },
    quiet: true,
  });

// 组织生活: 三会一课 · 主题党日 · 红色星期六
type Activity = import('@pioneer/shared').Activity;
type Attendance = import('@pioneer/shared').Attendance;
const activityPath = (id: string, action = '') => `/activities/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const getActivities = (query: { org?: string; from?: string; to?: string } = {}) =>
  request<{ items: Activity[] }>({ path: '/activities', query, quiet: true });
export const getActivity = (id: string) => request<Activity>({ path: activityPath(id), quiet: true });
export const createActivity = (body: import('@pioneer/shared').CreateActivityBody) =>
  request<Activity>({ method: 'POST', path: '/activities', body, quiet: true });
export const patchActivity = (id: string, body: import('@pioneer/shared').PatchActivityBody) =>
  request<Activity>({ method: 'PATCH', path: activityPath(id), body, quiet: true });
export const cancelActivity = (id: string, reason: string) =>
  request<Activity>({ method: 'POST', path: activityPath(id, 'cancel'), body: { reason }, quiet: true });
export const askActivityLeave = (id: string, reason: string) =>
  request<Activity>({ method: 'POST', path: activityPath(id, 'leave'), body: { reason }, quiet: true });
export const reviewActivityLeave = (id: string, userId: string, decision: 'approve' | 'refuse') =>
  request<Attendance>({
    method: 'POST',
    path: activityPath(id, `leave/${encodeURIComponent(userId)}/review`),
    body: { decision },
    quiet: true,
  });
export const getActivityQr = (id: string) =>
  request<import('@pioneer/shared').QrReply>({ path: activityPath(id, 'qr'), quiet: true });
export const addActivityAttendee = (id: string, body: import('@pioneer/shared').AddAttendeeBody) =>
  request<Attendance>({ method: 'POST', path: activityPath(id, 'attendees'), body, quiet: true });
export const putActivityMinutes = (id: string, body: { text: string; photoUrls?: string[] }) =>
  request<Activity>({ method: 'PUT', path: activityPath(id, 'minutes'), body, quiet: true });
export const getActivityAttendance = (id: string) =>
  request<Attendance>({ path: activityPath(id, 'attendance'), quiet: true });
export const getRecordBook = (query: { org?: string; quarter?: string } = {}) =>
  request<import('@pioneer/shared').RecordBook>({
    path: '/activities/record-book',
    query: { ...query, format: 'json' },
    quiet: true,
  });
export const recordBookXlsxUrl = (query: { org?: string; quarter?: string }) =>
  checkinUrl('/activities/record-book', { ...query, format: 'xlsx' });
export const getIdleBranches = (query: { org?: string; days?: number } = {}) =>
  request<import('@pioneer/shared').IdleBranches>({ path: '/activities/idle', query, quiet: true });

// County settings editing (admin) and 代为登记 (secretary records service for a member without a smartphone)
export const putPointsRules = (body: import('@pioneer/shared').PutPointsRulesBody) =>
  request<import('@pioneer/shared').PointsRulesView>({
    method: 'PUT',
    path: '/settings/points-rules',
    body,
    quiet: true,
  });
export const getOrgMembers = (orgId: string, limit = 100) =>
  request<import('@pioneer/shared').MemberPage>({
    path: `/orgs/${encodeURIComponent(orgId)}/members`,
    query: { limit },
    quiet: true,
  });
export const recordServiceFor = (body: import('@pioneer/shared').ProxyRecordBody) =>
  request<ServiceRecord>({ method: 'POST', path: '/records', body, quiet: true });

// 操作记录 (audit log): admins their subtree, secretaries their branch; newest first.
export const getAuditLog = (
  q: { org: string; action?: import('@pioneer/shared').AuditGroup },
  cursor?: string | null,
) => request<import('@pioneer/shared').AuditPage>({ path: '/audit', query: { ...q, cursor }, quiet: true });

// 三会一课 required frequencies of a county (the record book counts against them); admins of the county change them.
export const getActivityFrequencies = (org?: string) =>
  request<import('@pioneer/shared').ActivityFrequencies>({
    path: '/activities/frequencies',
    query: { org },
    quiet: true,
  });
export const putActivityFrequencies = (body: import('@pioneer/shared').PutFrequenciesBody) =>
  request<import('@pioneer/shared').ActivityFrequencies>({
    method: 'PUT',
    path: '/activities/frequencies',
    body,
    quiet: true,
  });
