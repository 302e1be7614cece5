/**
 * 组织生活 in the demo county: for 青山村党支部 (b1) a 支委会 and a 党员大会 already held (with 补录 attendance from the
 * paper sign-in sheet), and a 主题党日 starting shortly, open for sign-in — the demo (and an e2e) signs in to it.
 */
import { dayKey, shanghaiInstant } from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { LoginModel, UserModel } from '../users/users.model';
import { loadSessionUser } from '../users/users.service';
import { refreshMemberCards } from '../commitments/card-writes';
import { createActivity } from './activities.service';
import { addAttendee, putMinutes } from './activity-attendance.service';

async function actorOf(openid: string): Promise<SessionUser | null> {
  const login = await LoginModel.findById(`wx:${openid}`).lean();
  return login ? loadSessionUser(login.userId) : null;
}

const DAY = 86_400_000;

export async function seedDemoActivities(now = new Date()): Promise<void> {
  const secretary = await actorOf('demo-secretary');
  if (!secretary?.orgId) return;
  // Meetings held at 09:00 Shanghai on their day, whatever the hour the demo starts (a night-time start showed 23:38).
  const at = (daysFromNow: number, hours = 2) => {
    const starts = shanghaiInstant(dayKey(now.getTime() + daysFromNow * DAY), '09:00:00');
    return {
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + hours * 3_600_000).toISOString(),
    };
  };
  // The branch committee (支委): the secretary and two members whose 职务 says so, so the 支委会 expects three.
  const committeeMembers: [string, string][] = [
    ['demo-m00', '组织委员'],
    ['demo-m06', '宣传委员'],
  ];
  for (const [openid, duty] of committeeMembers) {
    const member = await actorOf(openid);
    if (member?.orgId !== secretary.orgId) continue;
    await UserModel.updateOne({ _id: member.id }, { $set: { 'identity.dutyTitle': duty } });
    await refreshMemberCards(member.id);
  }
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
  // Two of the three committee members came (the secretary cannot record their own attendance: it pays points).
  for (const openid of ['demo-m00', 'demo-m06']) {
    const member = await actorOf(openid);
    if (member?.orgId !== secretary.orgId) continue;
    await addAttendee(secretary, committee.id, { userId: member.id, reason: '纸质签到表补录' }, now).catch(
      () => undefined,
    );
  }
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
