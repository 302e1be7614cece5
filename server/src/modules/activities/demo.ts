/**
 * 组织生活 in the demo county: for 青山村党支部 (b1) a 支委会 and a 党员大会 already held (with 补录 attendance from the
 * paper sign-in sheet), and a 主题党日 starting shortly, open for sign-in — the demo (and an e2e) signs in to it.
 */
import type { SessionUser } from '../../http/types';
import { LoginModel } from '../users/users.model';
import { loadSessionUser } from '../users/users.service';
import { addAttendee, createActivity, putMinutes } from './activities.service';

async function actorOf(openid: string): Promise<SessionUser | null> {
  const login = await LoginModel.findById(`wx:${openid}`).lean();
  return login ? loadSessionUser(login.userId) : null;
}

const DAY = 86_400_000;

export async function seedDemoActivities(now = new Date()): Promise<void> {
  const secretary = await actorOf('demo-secretary');
  if (!secretary?.orgId) return;
  const at = (daysFromNow: number, hours = 2) => ({
    startsAt: new Date(now.getTime() + daysFromNow * DAY).toISOString(),
    endsAt: new Date(now.getTime() + daysFromNow * DAY + hours * 3_600_000).toISOString(),
  });
  const committee = await createActivity(
    secretary,
    { type: 'committee', title: '支委会：研究红色星期六安排', ...at(-12, 1), place: { name: '村委会议室' } },
    now,
  );
  const congress = await createActivity(
    secretary,
    {
      type: 'party_congress',
      title: '第四季度支部党员大会',
      topic: '学习党的二十届四中全会精神',
      ...at(-5),
      place: { name: '村党群服务中心' },
    },
    now,
  );
  const present = ['demo-cadre', 'demo-m00', 'demo-m06', 'demo-m12'];
  for (const openid of present) {
    const member = await actorOf(openid);
    if (member?.orgId !== secretary.orgId) continue;
    await addAttendee(secretary, congress.id, { userId: member.id, reason: '纸质签到表补录' }, now).catch(
      () => undefined,
    );
  }
  await addAttendee(secretary, committee.id, { userId: secretary.id, reason: '纸质签到表补录' }, now).catch(
    () => undefined,
  );
  await putMinutes(
    secretary,
    congress.id,
    { text: '传达学习四中全会精神；讨论第四季度发展党员工作；布置红色星期六志愿服务。', photoUrls: [] },
    now,
  );
  await createActivity(
    secretary,
    {
      type: 'theme_day',
      title: '主题党日：重温入党誓词',
      topic: '重温入党誓词，开展政策宣讲',
      startsAt: new Date(now.getTime() + 10 * 60_000).toISOString(),
      endsAt: new Date(now.getTime() + 3 * 3_600_000).toISOString(),
      place: { name: '村党群服务中心' },
    },
    now,
  );
}
