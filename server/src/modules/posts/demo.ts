/**
 * 认领公益岗位 and 微心愿 in the demo county, drawn on seed report 004 (Deqing: medical aid, legal rights,
 * mediation, traffic guidance...). Everything goes through the real services, so seats, totals and points are
 * what live use would give. The demo member (陈党员) is left without service today, so their first confirmed hours
 * show in full on 我的.
 */
import type { CreateWishBody, PostCategory } from '@pioneer/shared';
import type { SessionUser } from '../../http/types';
import { OrgModel } from '../orgs/orgs.model';
import { LoginModel } from '../users/users.model';
import { loadSessionUser } from '../users/users.service';
import { claimWish, createWish, fulfilWish, reviewWish } from '../wishes/wishes.service';
import { claimPost } from './claims.service';
import { createPost, patchPost } from './posts.service';
import { decideRecord, logService } from './records.service';

async function actorOf(openid: string): Promise<SessionUser | null> {
  const login = await LoginModel.findById(`wx:${openid}`).lean();
  return login ? loadSessionUser(login.userId) : null;
}

async function orgId(name: string): Promise<string | null> {
  // Deliberate scan: a one-off seed over the demo county's few orgs.
  return ((await OrgModel.findOne({ name }).lean())?._id as string | undefined) ?? null;
}

interface PostSeed {
  title: string;
  category: PostCategory;
  description: string;
  skills: string[];
  capacity: number;
  org: string;
  by: 'demo-secretary' | 'demo-admin';
  /** Generated members of 青山村党支部 who claim it; the first logs confirmed service, the second pending. */
  claimers?: string[];
  closed?: boolean;
}

const POSTS: PostSeed[] = [
  {
    title: '法律咨询岗',
    category: '法律维权',
    description: '每周六上午在村党群服务中心为群众解答法律问题，协助化解矛盾纠纷。',
    skills: ['法律'],
    capacity: 3,
    org: '青山村党支部',
    by: 'demo-secretary',
    claimers: ['demo-m00', 'demo-m06'],
  },
  {
    title: '上学路口交通引导岗',
    category: '交通引导',
    description: '工作日早7:10-7:50在青山小学路口引导学生和车辆安全通行。',
    skills: [],
    capacity: 6,
    org: '青山村党支部',
    by: 'demo-secretary',
    claimers: ['demo-m12'],
  },
  {
    title: '邻里纠纷调解岗',
    category: '民事调解',
    description: '参与村调解委员会工作，上门倾听、耐心调解邻里矛盾。',
    skills: ['调解'],
    capacity: 4,
    org: '青山村党支部',
    by: 'demo-secretary',
  },
  {
    title: '独居老人探访岗',
    category: '帮困助老',
    description: '每周探访结对的独居老人，帮助代购、就医、打扫。',
    skills: [],
    capacity: 8,
    org: '青山村党支部',
    by: 'demo-secretary',
    claimers: ['demo-m18'],
  },
  {
    title: '党员义诊志愿岗',
    category: '医务救助',
    description: '配合镇卫生院开展义诊、量血压、健康宣教，医务工作者优先。',
    skills: ['医护'],
    capacity: 10,
    org: '青山镇',
    by: 'demo-admin',
    claimers: ['demo-m24'],
  },
  {
    title: '河道巡查护水岗',
    category: '治水护水',
    description: '每月巡河两次，清理漂浮物，劝阻向河道倾倒垃圾。',
    skills: [],
    capacity: 20,
    org: '青山县',
    by: 'demo-admin',
  },
  {
    title: '春节环境大扫除',
    category: '环境整治',
    description: '春节前集中清理村道和公共区域。',
    skills: [],
    capacity: 30,
    org: '青山村党支部',
    by: 'demo-secretary',
    closed: true,
  },
];

const WISHES: (CreateWishBody & { stage: 'open' | 'claimed' | 'fulfilled' | 'confirmed'; claimer?: string })[] = [
  {
    title: '想给孙子买几本课外书',
    description: '孙子读三年级，家里没有课外书。',
    residentName: '张桂兰',
    residentContact: '13905721234',
    orgId: '',
    stage: 'open',
  },
  {
    title: '想学用智能手机视频通话',
    description: '子女在外地，想和他们视频。',
    residentName: '陈秀英',
    residentContact: '13905725678',
    orgId: '',
    stage: 'open',
  },
  {
    title: '家里灯泡坏了想请人换',
    description: '老人行动不便，够不着。',
    residentName: '刘德明',
    orgId: '',
    stage: 'claimed',
    claimer: 'demo-m00',
  },
  {
    title: '轮椅需要修理',
    description: '轮椅刹车失灵。',
    residentName: '赵志强',
    residentContact: '13905729012',
    orgId: '',
    stage: 'fulfilled',
    claimer: 'demo-m06',
  },
  {
    title: '想要一台收音机听戏',
    description: '独居老人，喜欢听越剧。',
    residentName: '王玉珍',
    orgId: '',
    stage: 'confirmed',
    claimer: 'demo-m12',
  },
];

async function seedPost(seed: PostSeed, actors: Map<string, SessionUser>, secretary: SessionUser): Promise<void> {
  const by = actors.get(seed.by);
  const org = await orgId(seed.org);
  if (!by || !org) return;
  const post = await createPost(by, {
    title: seed.title,
    category: seed.category,
    description: seed.description,
    skills: seed.skills,
    capacity: seed.capacity,
    orgId: org,
  });
  for (const [i, openid] of (seed.claimers ?? []).entries()) {
    const member = actors.get(openid);
    if (!member) continue;
    const claim = await claimPost(member, post.id);
    const record = await logService(member, claim.id, {
      hours: i === 0 ? 2 : 1.5,
      resolved: i === 0 ? 2 : 1,
      note: `${seed.title}：服务群众，解决实际困难`,
      photoUrls: [],
    });
    if (i === 0) await decideRecord(secretary, record.id, 'confirm', '情况属实');
  }
  if (seed.closed) await patchPost(by, post.id, { status: 'closed' });
}

export async function seedDemoServices(): Promise<{ posts: number; wishes: number }> {
  const openids = ['demo-secretary', 'demo-admin', 'demo-m00', 'demo-m06', 'demo-m12', 'demo-m18', 'demo-m24'];
  const actors = new Map<string, SessionUser>();
  for (const id of openids) {
    const actor = await actorOf(id);
    if (actor) actors.set(id, actor);
  }
  const secretary = actors.get('demo-secretary');
  const branch = await orgId('青山村党支部');
  if (!secretary || !branch) return { posts: 0, wishes: 0 };
  for (const seed of POSTS) await seedPost(seed, actors, secretary);
  for (const seed of WISHES) {
    const { stage, claimer, ...body } = seed;
    const wish = await createWish(secretary, { ...body, description: body.description ?? '', orgId: branch });
    const member = claimer ? actors.get(claimer) : undefined;
    if (!member || stage === 'open') continue;
    await claimWish(member, wish.id);
    if (stage === 'claimed') continue;
    await fulfilWish(member, wish.id, { note: '已上门帮忙解决', photoUrls: [] });
    if (stage === 'confirmed') await reviewWish(secretary, wish.id, 'confirm', '群众很满意');
  }
  return { posts: POSTS.length, wishes: WISHES.length };
}
