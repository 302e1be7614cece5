/**
 * Stable error codes shared by the server (which throws them) and the mini-program (which shows them).
 * A code never changes meaning once released; add new ones instead.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: '提交的内容有误，请检查后重试' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  WECHAT_CODE_INVALID: { status: 401, message: '微信登录已失效，请重新进入小程序' },
  FORBIDDEN: { status: 403, message: '没有权限进行此操作' },
  NOT_FOUND: { status: 404, message: '内容不存在或已删除' },
  CONFLICT: { status: 409, message: '操作冲突，请刷新后重试' },
  ALREADY_MEMBER: { status: 409, message: '您已加入该支部' },
  POST_FULL: { status: 409, message: '该岗位已认领满员' },
  ALREADY_CLAIMED: { status: 409, message: '您已认领过该岗位' },
  WISH_TAKEN: { status: 409, message: '该心愿已被其他党员认领' },
  CLAIM_REMOVED: { status: 409, message: '书记已将您移出该岗位，如需重新认领请联系书记' },
  ALREADY_SIGNED_IN: { status: 409, message: '您已签到' },
  INVITE_EXPIRED: { status: 410, message: '邀请码已过期' },
  INVITE_USED_UP: { status: 410, message: '邀请码使用次数已满' },
  INVITE_REVOKED: { status: 410, message: '邀请码已作废' },
  /** Dissolving an org that still has members or child orgs. */
  ORG_NOT_EMPTY: { status: 409, message: '该组织下还有党员或下级组织，不能撤销' },
  /** A member already has a transfer waiting to be accepted. */
  TRANSFER_PENDING: { status: 409, message: '该党员已有待接收的组织关系转接' },
  /** Roster binding (issue 14): the roster row already has its person, or this person already has a branch. */
  ROSTER_ALREADY_BOUND: { status: 409, message: '名册中的这位党员已绑定微信账号，如有疑问请联系支部书记' },
  ALREADY_IN_BRANCH: { status: 409, message: '您已加入支部，不能再绑定名册' },
  ROSTER_NOT_FOUND: { status: 404, message: '名册中没有找到该手机号，请用邀请码或扫支部入党码加入' },
  IMPORT_EXPIRED: { status: 410, message: '预检结果已过期，请重新上传文件' },
  BAD_SHEET: { status: 422, message: '文件无法导入' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '提交的内容过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '文件格式不支持' },
  ILLEGAL_TRANSITION: { status: 422, message: '当前状态下不能进行此操作' },
  ATTEMPT_EXPIRED: { status: 422, message: '答题已超时' },
  NO_QUESTIONS: { status: 422, message: '暂无可答的题目' },
  POST_CLOSED: { status: 422, message: '该岗位已关闭' },
  OUT_OF_FENCE: { status: 422, message: '不在打卡范围内' },
  LOCATION_INACCURATE: { status: 422, message: '定位精度不足，请到开阔处重试' },
  TOKEN_EXPIRED: { status: 422, message: '二维码已过期，请重新扫码' },
  ACTIVITY_NOT_OPEN: { status: 422, message: '活动未在签到时间内' },
  CAPTURE_TOO_OLD: { status: 422, message: '离线记录保存太久，已不能补交，请联系书记' },
  /** 学习 (issue 20): a reading completed before the server's clock shows the article's minimum, or not to its end. */
  READ_TOO_SHORT: { status: 422, message: '阅读时间不足，请继续阅读' },
  READ_NOT_FINISHED: { status: 422, message: '请读到文章末尾' },
  /** 学习视频: paid only at 80% watched by the server's clock; heartbeats closer together than real time allows are refused. */
  WATCH_TOO_SHORT: { status: 422, message: '观看时间不足，请继续观看' },
  WATCH_TOO_FAST: { status: 429, message: '观看进度上报过快' },
  /** 民主评议 (issue 21): a member's one ballot per round; a round closed or not yet open; the county's 优秀 share; a grade set once. */
  ALREADY_VOTED: { status: 409, message: '您已参加本轮评议，不能重复投票' },
  REVIEW_NOT_OPEN: { status: 422, message: '评议未在进行中' },
  EXCELLENT_SHARE_EXCEEDED: { status: 422, message: '优秀等次已超过县里规定的比例' },
  GRADE_ALREADY_SET: { status: 409, message: '该党员的评定等次已确定' },
  RATE_LIMITED: { status: 429, message: '操作太频繁，请稍后再试' },
  /** A member's uploads for the Shanghai day reached the configured count or size. */
  UPLOAD_QUOTA_EXCEEDED: { status: 429, message: '今天上传的照片已达上限，请明天再传' },
  INTERNAL: { status: 500, message: '服务器开小差了，请稍后重试' },
  UPSTREAM_FAILED: { status: 502, message: '微信服务暂时不可用，请稍后重试' },
  /** The database is away (the embedded engine restarting, MongoDB unreachable): nothing was written; retry. */
  DB_UNAVAILABLE: { status: 503, message: '服务正在恢复，请稍后重试' },
  /** The database's disk is full: nothing was written; an administrator must free space. */
  STORAGE_FULL: { status: 507, message: '服务器存储空间已满，请联系管理员' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}
