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
import { requireRole, sessionUser } from '../../http/auth';
import type { AppState } from '../../http/types';
import { handle } from '../../http/validate';
import { checkinSettings, fenceVillages, myMonth, putCheckinSettings } from './attendance.service';
import { checkIn } from './checkins.service';
import { contentDisposition, reportFile } from './export';
import { attendanceReport } from './report.service';
import { pendingCheckins, reviewCheckin } from './review.service';
import { recordAudit } from '../audit/audit.service';

/** 驻村考勤. Who may do what is decided in the services (cadre posting, branch and subtree scope). */
export function checkinsRoutes({ auth }: RouteDeps): Router<AppState> {
  const router = new Router<AppState>();

  // A cadre posted to a fenced village (403 otherwise).
  router.post(
    '/checkins',
    auth,
    handle({ body: CheckinBodySchema }, async ({ body }, ctx) => {
      const key = ctx.get('idempotency-key');
      ctx.status = 201;
      ctx.body = await checkIn(sessionUser(ctx.state), body, {
        idempotencyKey: /^[\w-]{1,100}$/.test(key) ? key : undefined,
      });
    }),
  );

  // Anyone signed in: their own month.
  router.get(
    '/checkins/mine',
    auth,
    handle({ query: MonthQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await myMonth(sessionUser(ctx.state), query.month);
    }),
  );

  // Secretary: own branch; admin: own subtree.
  router.get(
    '/checkins/pending',
    auth,
    requireRole('secretary', 'admin'),
    handle({ query: OrgQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await pendingCheckins(sessionUser(ctx.state), query);
    }),
  );

  // The secretary of the cadre's branch, or an admin over the cadre.
  router.post(
    '/checkins/:id/review',
    auth,
    requireRole('secretary', 'admin'),
    handle({ params: IdParamSchema, body: ReviewBodySchema }, async ({ params, body }, ctx) => {
      ctx.body = await reviewCheckin(sessionUser(ctx.state), params.id, body);
    }),
  );

  // Secretary: own branch; admin: own subtree. JSON, or a CSV / XLSX download.
  router.get(
    '/checkins/report',
    auth,
    requireRole('secretary', 'admin'),
    handle({ query: ReportQuerySchema }, async ({ query }, ctx) => {
      const report = await attendanceReport(sessionUser(ctx.state), query);
      if (query.format === 'json') {
        ctx.body = report;
        return;
      }
      const file = await reportFile(report, query.format);
      // A file of names leaves the system: who took which org's report, when (issue 24), in 操作记录.
      await recordAudit({
        actorId: sessionUser(ctx.state).id,
        action: 'privacy.export',
        targetType: 'org',
        targetId: report.org.id,
        details: { what: `驻村考勤报表 ${report.period.label}`, format: query.format, rows: report.rows.length },
      });
      ctx.set('Content-Disposition', contentDisposition(file));
      ctx.set('Cache-Control', 'no-store');
      ctx.type = file.contentType;
      ctx.body = file.body;
    }),
  );

  // Anyone signed in reads the county's required days; only a county admin changes them.
  router.get(
    '/checkins/settings',
    auth,
    handle({ query: OrgQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await checkinSettings(sessionUser(ctx.state), query);
    }),
  );

  router.put(
    '/checkins/settings',
    auth,
    requireRole('admin'),
    handle({ body: PutCheckinSettingsBodySchema }, async ({ body }, ctx) => {
      ctx.body = await putCheckinSettings(sessionUser(ctx.state), body);
    }),
  );

  // Admin: villages of the subtree with their fences (PATCH /orgs/:id { fence } saves one).
  router.get(
    '/checkins/villages',
    auth,
    requireRole('admin'),
    handle({ query: OrgQuerySchema }, async ({ query }, ctx) => {
      ctx.body = await fenceVillages(sessionUser(ctx.state), query);
    }),
  );

  return router;
}
