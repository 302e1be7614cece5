import Router from '@koa/router';
import {
  CheckinBodySchema,
  IdParamSchema,
  MonthQuerySchema,
  OrgQuerySchema,
  PutCheckinSettingsBodySchema,
  ReportQuerySchema,
  ReviewBodySchema,
} from '@pioneer/shared';
import type { RouteDeps } from '../../http/deps';
import { sendDownload } from '../../http/files';
import { ADMINS, MANAGERS, apiRoutes } from '../../http/route';
import type { AppState } from '../../http/types';
import { checkinSettings, fenceVillages, myMonth, putCheckinSettings } from './attendance.service';
import { checkIn } from './checkins.service';
import { reportFile } from './export';
import { attendanceReport } from './report.service';
import { pendingCheckins, reviewCheckin } from './review.service';
import { recordAudit } from '../audit/audit.service';

/** 驻村考勤. Who may do what is decided in the services (cadre posting, branch and subtree scope). */
export function checkinsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();
  const api = apiRoutes(router, auth);

  // A cadre posted to a fenced village (403 otherwise).
  api.post('/checkins', { body: CheckinBodySchema, status: 201 }, (me, { body, key }) =>
    checkIn(me, body, { idempotencyKey: key }),
  );
  // Anyone signed in: their own month.
  api.get('/checkins/mine', { query: MonthQuerySchema }, (me, { query }) => myMonth(me, query.month));
  // Secretary: own branch; admin: own subtree.
  api.get('/checkins/pending', { roles: MANAGERS, query: OrgQuerySchema }, (me, { query }) =>
    pendingCheckins(me, query),
  );
  // The secretary of the cadre's branch, or an admin over the cadre.
  api.post(
    '/checkins/:id/review',
    { roles: MANAGERS, params: IdParamSchema, body: ReviewBodySchema },
    (me, { params, body }) => reviewCheckin(me, params.id, body),
  );

  // Secretary: own branch; admin: own subtree. JSON, or a CSV / XLSX download.
  api.get('/checkins/report', { roles: MANAGERS, query: ReportQuerySchema }, async (me, { query }, ctx) => {
    const report = await attendanceReport(me, query);
    if (query.format === 'json') return report;
    const file = await reportFile(report, query.format);
    // A file of names leaves the system: who took which org's report, when (issue 24), in 操作记录.
    await recordAudit({
      actorId: me.id,
      action: 'privacy.export',
      targetType: 'org',
      targetId: report.org.id,
      details: { what: `驻村考勤报表 ${report.period.label}`, format: query.format, rows: report.rows.length },
    });
    sendDownload(ctx, file, { noStore: true });
  });

  // Anyone signed in reads the county's required days; only a county admin changes them.
  api.get('/checkins/settings', { query: OrgQuerySchema }, (me, { query }) => checkinSettings(me, query));
  api.put('/checkins/settings', { roles: ADMINS, body: PutCheckinSettingsBodySchema }, (me, { body }) =>
    putCheckinSettings(me, body),
  );
  // Admin: villages of the subtree with their fences (PATCH /orgs/:id { fence } saves one).
  api.get('/checkins/villages', { roles: ADMINS, query: OrgQuerySchema }, (me, { query }) => fenceVillages(me, query));

  return router;
}
