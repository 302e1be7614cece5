import type { Activity, Attendance, QrReply } from '@pioneer/shared';

/** An open 主题党日 of 红旗村党支部 on 25 November, 09:00–11:00, the member expected; `over` changes any field. */
export function activity(over: Partial<Activity> = {}): Activity {
  return {
    id: 'a1',
    branchId: 'b1',
    branchName: '红旗村党支部',
    type: 'theme_day',
    title: '11月主题党日',
    topic: '学习四中全会精神',
    startsAt: '2026-11-25T01:00:00.000Z',
    endsAt: '2026-11-25T03:00:00.000Z',
    place: { name: '村党群服务中心' },
    status: 'open',
    expectedCount: 12,
    signedInCount: 3,
    minutes: null,
    mine: { expected: true, signedInAt: null, late: false, leave: null },
    ...over,
  };
}

/** The same activity as its secretary first sees it in 签到管理: three expected, nobody signed in yet. */
export const managedActivity = (): Activity =>
  activity({ topic: null, place: null, expectedCount: 3, signedInCount: 0 });

export const noAttendance: Attendance = { present: [], late: [], onLeave: [], absent: [], pendingLeave: [] };

/** 签到码 as the server deals it: the token in the QR, the six digits to type, its expiry. */
export const qrReply: QrReply = {
  token: 'jwt.token.sig',
  code: '482913',
  expiresAt: '2026-11-25T01:05:30.000Z',
  qrDataUrl: 'data:image/png;base64,iVBORw0KGgo=',
};
