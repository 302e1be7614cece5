import { dayKey, shanghaiInstant } from '@pioneer/shared';
import { invalid } from '../../http/errors';

const DAY_MS = 86_400_000;

/**
 * A served day (`YYYY-MM-DD`, Shanghai) someone may name: a real date, not ahead of today, at most `daysBack` days
 * back. The instant stored is noon of that day, so the points count for that day (and its daily cap).
 */
export function assertServedOn(servedOn: string, now: Date, daysBack: number): Date {
  const at = shanghaiInstant(servedOn, '12:00:00');
  if (Number.isNaN(at.getTime()) || dayKey(at) !== servedOn) throw invalid('服务日期不正确');
  if (servedOn > dayKey(now)) throw invalid('服务日期不能晚于今天');
  if (servedOn < dayKey(new Date(now.getTime() - daysBack * DAY_MS))) throw invalid(`只能登记${daysBack}天内的服务`);
  return at;
}
