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
  const year = currentYear();
  const hour = 3_600_000;

  const post = ok(
    await http()
      .post('/api/v1/posts')
      .set(as(users.secretary.id))
      .send({ ...NEW_POST, capacity: 5, orgId: county.branchA.id }),
    'post',
  );
  const memberClaim = ok(
    await http().post(`/api/v1/posts/${post.body.id}/claims`).set(as(users.member.id)),
    'member claim',
  );
  const cadreClaim = ok(
    await http().post(`/api/v1/posts/${post.body.id}/claims`).set(as(users.cadre.id)),
    'cadre claim',
  );
  const record = ok(
    await http()
      .post(`/api/v1/claims/${memberClaim.body.id}/records`)
      .set(as(users.member.id))
      .send({ hours: 1, note: '引导车辆' }),
    'record',
  );
  const activity = ok(
    await http()
      .post('/api/v1/activities')
      .set(as(users.secretary.id))
      .send({
        type: 'theme_day',
        title: '主题党日',
        startsAt: new Date(Date.now() - hour).toISOString(),
        endsAt: new Date(Date.now() + hour).toISOString(),
      }),
    'activity',
  );
  const wish = ok(
    await http()
      .post('/api/v1/wishes')
      .set(as(users.secretary.id))
      .send({ title: '修水管', residentName: '张大爷', residentContact: '13900001111', orgId: county.branchA.id }),
    'wish',
  );
  const claimedWish = ok(
    await http()
      .post('/api/v1/wishes')
      .set(as(users.secretary.id))
      .send({ title: '买药', residentName: '李奶奶', orgId: county.branchA.id }),
    'claimed wish',
  );
  ok(await http().post(`/api/v1/wishes/${claimedWish.body.id}/claim`).set(as(users.member.id)), 'wish claim');
  const question = ok(
    await http()
      .post('/api/v1/quiz/questions')
      .set(as(users.countyAdmin.id))
      .send({ type: 'judge', stem: '路测题：支部每月开展主题党日。', options: ['正确', '错误'], answer: ['A'] }),
    'question',
  );
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
  const checkin = ok(
    await http()
      .post('/api/v1/checkins')
      .set(as(users.cadre.id))
      .send({ lat: 30.62, lng: 120.08, accuracy: 10, coordType: 'gcj02', reason: '去镇上开会' }),
    'checkin',
  );

  // 组织关系转接 from 甲村党支部 to 甲村第二党支部 (whose secretary is nobody here: only the county admin decides it).
  const invite = ok(
    await http().post(`/api/v1/orgs/${county.branchA.id}/invites`).set(as(users.secretary.id)).send({}),
    'invite',
  );
  const transfer = ok(
    await http()
      .post('/api/v1/transfers')
      .set(as(users.secretary.id))
      .send({ userId: users.mover.id, toOrgId: county.branchA2.id }),
    'transfer',
  );

  // 通知公告 (issue 19): the secretary's notice to 甲村党支部.
  const notice = ok(
    await http()
      .post('/api/v1/notices')
      .set(as(users.secretary.id))
      .send({ title: '路测通知', body: '<p>本周六开展主题党日</p>' }),
    'notice',
  );

  // 学习 (issue 20): the county's article placed at 甲村党支部, and the member's reading session of it.
  const article = ok(
    await http()
      .post('/api/v1/study/admin/articles')
      .set(as(users.countyAdmin.id))
      .send({ org: county.branchA.id, title: '路测文章', topic: '党史', body: '<p>路测正文</p>' }),
    'article',
  );
  const reading = ok(
    await http().post(`/api/v1/study/articles/${article.body.id}/sessions`).set(as(users.member.id)),
    'reading',
  );

  // 学习视频: the county's video at 甲村党支部 (the committed test fixture), and the member's watching of it.
  const videoFile = ok(
    await http()
      .post('/api/v1/study/admin/videos/files')
      .set(as(users.countyAdmin.id))
      .attach('file', path.join(__dirname, '../../../test/fixtures/study-12s.mp4')),
    'video file',
  );
  const video = ok(
    await http()
      .post('/api/v1/study/admin/videos')
      .set(as(users.countyAdmin.id))
      .send({ org: county.branchA.id, title: '路测视频', topic: '党史', file: videoFile.body.file }),
    'video',
  );
  const watch = ok(
    await http().post(`/api/v1/study/videos/${video.body.id}/watches`).set(as(users.member.id)),
    'watch',
  );

  const tomorrow = new Date(Date.now() + 24 * hour + 8 * hour).toISOString().slice(0, 10);
  // 任务督办 (issue 19): the county admin's task to 甲村党支部, due tomorrow.
  const task = ok(
    await http()
      .post('/api/v1/tasks')
      .set(as(users.countyAdmin.id))
      .send({ title: '路测任务', deadline: tomorrow, branches: [county.branchA.id] }),
    'task',
  );
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
