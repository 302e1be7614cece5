import path from 'node:path';
import { newId } from '../../src/db/ids';
import { currentYear } from '../../src/modules/commitments/commitments.service';
import { UserModel } from '../../src/modules/users/users.model';
import { buildCounty, buildMember } from './factories';
import type { TestApp } from './harness';
import { NEW_POST } from './posts-helpers';

/**
 * The route walk's world: the demo roles around 甲村党支部 and one real target of each kind in that branch (a
 * post with two claims and a pending service record, a past activity, a wish, a submitted commitment, a pending
 * 外勤 check-in, a question), so a request reaches the service's check instead of stopping at a 404.
 */
export async function seedWalk(t: TestApp) {
  const county = await buildCounty();
  const users = {
    countyAdmin: await buildMember({
      branch: county.branchB,
      roles: ['member', 'admin'],
      adminOf: county.county,
      name: '县组织部',
    }),
    townAdmin: await buildMember({
      branch: county.branchB,
      roles: ['member', 'admin'],
      adminOf: county.townB,
      name: '乙乡组织委员',
    }),
    secretary: await buildMember({ branch: county.branchA, roles: ['member', 'secretary'], name: '甲支书记' }),
    member: await buildMember({ branch: county.branchA, name: '甲支党员' }),
    cadre: await buildMember({
      branch: county.branchA,
      roles: ['member', 'cadre'],
      postedTo: county.villageA,
      name: '甲村驻村',
    }),
    spare: await buildMember({ branch: county.branchA, name: '甲支党员二' }),
    mover: await buildMember({ branch: county.branchA, name: '甲支转出党员' }),
    stranger: { id: newId() },
  };
  await UserModel.create({ _id: users.stranger.id, name: '路人', roles: ['member'] });
  const as = (id: string) => ({ authorization: `Bearer ${t.tokenFor(id)}` });
  const ok = <T extends { status: number; text: string; body: unknown }>(res: T, what: string): T => {
    if (res.status >= 300) throw new Error(`walk seed: ${what} failed: ${res.status} ${res.text}`);
    return res;
  };
  const http = () => t.http();
  /** A POST to `/api/v1${url}` as `who` (with `body` when given) that must succeed, else the seed stops naming `what`. */
  const postAs = async (who: { id: string }, url: string, what: string, body?: object) => {
    const req = http().post(`/api/v1${url}`).set(as(who.id));
    return ok(await (body === undefined ? req : req.send(body)), what);
  };
  const year = currentYear();
  const hour = 3_600_000;

  const post = await postAs(users.secretary, '/posts', 'post', { ...NEW_POST, capacity: 5, orgId: county.branchA.id });
  const memberClaim = await postAs(users.member, `/posts/${post.body.id}/claims`, 'member claim');
  const cadreClaim = await postAs(users.cadre, `/posts/${post.body.id}/claims`, 'cadre claim');
  const record = await postAs(users.member, `/claims/${memberClaim.body.id}/records`, 'record', {
    hours: 1,
    note: '引导车辆',
  });
  const activity = await postAs(users.secretary, '/activities', 'activity', {
    type: 'theme_day',
    title: '主题党日',
    startsAt: new Date(Date.now() - hour).toISOString(),
    endsAt: new Date(Date.now() + hour).toISOString(),
  });
  const wish = await postAs(users.secretary, '/wishes', 'wish', {
    title: '修水管',
    residentName: '张大爷',
    residentContact: '13900001111',
    orgId: county.branchA.id,
  });
  const claimedWish = await postAs(users.secretary, '/wishes', 'claimed wish', {
    title: '买药',
    residentName: '李奶奶',
    orgId: county.branchA.id,
  });
  await postAs(users.member, `/wishes/${claimedWish.body.id}/claim`, 'wish claim');
  const question = await postAs(users.countyAdmin, '/quiz/questions', 'question', {
    type: 'judge',
    stem: '路测题：支部每月开展主题党日。',
    options: ['正确', '错误'],
    answer: ['A'],
  });
  ok(
    await http()
      .put('/api/v1/commitments/mine')
      .set(as(users.member.id))
      .send({ year, items: [{ text: '带头参加支部活动' }] }),
    'commitment',
  );
  ok(
    await http()
      .post(`/api/v1/commitments/${encodeURIComponent(`${users.member.id}|${year}`)}/submit`)
      .set(as(users.member.id)),
    'submit',
  );
  // 外勤: well outside 甲村's fence, with a reason, so it waits for the secretary.
  const checkin = await postAs(users.cadre, '/checkins', 'checkin', {
    lat: 30.62,
    lng: 120.08,
    accuracy: 10,
    coordType: 'gcj02',
    reason: '去镇上开会',
  });

  // 组织关系转接 from 甲村党支部 to 甲村第二党支部 (whose secretary is nobody here: only the county admin decides it).
  const invite = await postAs(users.secretary, `/orgs/${county.branchA.id}/invites`, 'invite', {});
  const transfer = await postAs(users.secretary, '/transfers', 'transfer', {
    userId: users.mover.id,
    toOrgId: county.branchA2.id,
  });

  // 通知公告 (issue 19): the secretary's notice to 甲村党支部.
  const notice = await postAs(users.secretary, '/notices', 'notice', {
    title: '路测通知',
    body: '<p>本周六开展主题党日</p>',
  });

  // 学习 (issue 20): the county's article placed at 甲村党支部, and the member's reading session of it.
  const article = await postAs(users.countyAdmin, '/study/admin/articles', 'article', {
    org: county.branchA.id,
    title: '路测文章',
    topic: '党史',
    body: '<p>路测正文</p>',
  });
  const reading = await postAs(users.member, `/study/articles/${article.body.id}/sessions`, 'reading');

  // 学习视频: the county's video at 甲村党支部 (the committed test fixture), and the member's watching of it.
  const videoFile = ok(
    await http()
      .post('/api/v1/study/admin/videos/files')
      .set(as(users.countyAdmin.id))
      .attach('file', path.join(__dirname, '../../../test/fixtures/study-12s.mp4')),
    'video file',
  );
  const video = await postAs(users.countyAdmin, '/study/admin/videos', 'video', {
    org: county.branchA.id,
    title: '路测视频',
    topic: '党史',
    file: videoFile.body.file,
  });
  const watch = await postAs(users.member, `/study/videos/${video.body.id}/watches`, 'watch');

  const tomorrow = new Date(Date.now() + 24 * hour + 8 * hour).toISOString().slice(0, 10);
  // 任务督办 (issue 19): the county admin's task to 甲村党支部, due tomorrow.
  const task = await postAs(users.countyAdmin, '/tasks', 'task', {
    title: '路测任务',
    deadline: tomorrow,
    branches: [county.branchA.id],
  });
  return {
    county,
    users,
    year,
    tomorrow,
    ids: {
      post: post.body.id as string,
      memberClaim: memberClaim.body.id as string,
      cadreClaim: cadreClaim.body.id as string,
      record: record.body.id as string,
      activity: activity.body.id as string,
      wish: wish.body.id as string,
      claimedWish: claimedWish.body.id as string,
      question: question.body.id as string,
      commitment: `${users.member.id}|${year}`,
      checkin: checkin.body.id as string,
      invite: invite.body.code as string,
      transfer: transfer.body.id as string,
      notice: notice.body.id as string,
      article: article.body.id as string,
      reading: reading.body.id as string,
      video: video.body.id as string,
      videoFile: videoFile.body.file as string,
      watch: watch.body.id as string,
      task: task.body.id as string,
    },
  };
}

export type WalkSeed = Awaited<ReturnType<typeof seedWalk>>;
