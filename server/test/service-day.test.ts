import { POST_LIMITS, dayKey, type ServiceRecord } from '@pioneer/shared';
import type { TestApp } from './support/harness';
import type { County } from './support/factories';
import { members, secretaryWithPost, startPostsApp, type PostsClient } from './support/posts-helpers';
import { LedgerModel } from '../src/modules/points/points.model';
import { RecordModel } from '../src/modules/posts/posts.model';

let t: TestApp;
let county: County;
let api: PostsClient;
const DAY_MS = 86_400_000;
const daysAgo = (n: number) => dayKey(new Date(Date.now() - n * DAY_MS));

beforeAll(async () => ({ t, county, api } = await startPostsApp()));
afterAll(() => t.close());

async function claimed() {
  const { secretary, post } = await secretaryWithPost(t, county.branchA, { capacity: 5 });
  const [member] = await members(county.branchA, 1);
  const claim = (await api.claim(member!.id, post.id).expect(201)).body as { id: string };
  return { secretary, member: member!, claimId: claim.id };
}

describe('记录服务: the day served (issue 15)', () => {
  test('when a member names a day of the last week, then the record carries it and confirmation pays on that day', async () => {
    const { secretary, member, claimId } = await claimed();
    const day = daysAgo(3);
    const res = await api.logService(member.id, claimId, { hours: 2, servedOn: day });
    expect(res.status).toBe(201);
    expect((res.body as ServiceRecord).servedOn).toBe(day);
    expect((await api.confirm(secretary.id, res.body.id)).status).toBe(200);
    const [entry] = await LedgerModel.find({ userId: member.id, reason: 'post_service' }).lean();
    expect(dayKey(entry!.at)).toBe(day);
  });

  test('when no day is named, then it is today', async () => {
    const { member, claimId } = await claimed();
    const res = await api.logService(member.id, claimId, {});
    expect(res.status).toBe(201);
    expect(res.body.servedOn).toBe(dayKey(new Date()));
  });

  test(`when the day is more than ${POST_LIMITS.selfDaysBack} days back, in the future or not a date, then 400 in Chinese and nothing is written`, async () => {
    const { member, claimId } = await claimed();
    const cases: [string, string][] = [
      [daysAgo(POST_LIMITS.selfDaysBack + 1), `只能登记${POST_LIMITS.selfDaysBack}天内的服务`],
      [dayKey(new Date(Date.now() + 2 * DAY_MS)), '服务日期不能晚于今天'],
      ['2026-02-30', '服务日期不正确'],
      ['昨天', '请选择服务日期'],
    ];
    for (const [servedOn, message] of cases) {
      const res = await api.logService(member.id, claimId, { servedOn });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
    expect(await RecordModel.countDocuments({ userId: member.id })).toBe(0);
    // The edge of the window is allowed.
    expect((await api.logService(member.id, claimId, { servedOn: daysAgo(POST_LIMITS.selfDaysBack) })).status).toBe(
      201,
    );
  });
});
