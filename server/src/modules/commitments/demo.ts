/**
 * 亮承诺 in the demo county: a few members of 青山村党支部 (b1) with approved commitments and 践诺 records on the
 * wall, and one awaiting the secretary's review. Through the real services, so indexes and points are as in live
 * use. 陈党员 (demo-member) is left without a commitment: the demo (and the e2e test) writes theirs.
 */
import type { SessionUser } from '../../http/types';
import { LoginModel } from '../users/users.model';
import { loadSessionUser } from '../users/users.service';
import { addProgress, currentYear, putMine, review, submit } from './commitments.service';

async function actorOf(openid: string): Promise<SessionUser | null> {
  const login = await LoginModel.findById(`wx:${openid}`).lean();
  return login ? loadSessionUser(login.userId) : null;
}

const SEEDS: { openid: string; items: string[]; progress?: string[]; approve: boolean }[] = [
  {
    openid: 'demo-m00',
    items: ['每月走访联系户不少于2户，帮助解决实际困难', '带头参加红色星期六志愿服务'],
    progress: ['走访了村东头独居的王奶奶，帮她联系了家庭医生'],
    approve: true,
  },
  {
    openid: 'demo-m06',
    items: ['做好网格内矛盾纠纷排查调解', '带头做好垃圾分类'],
    progress: ['调解了两户邻里的宅基地纠纷', '在网格内宣传垃圾分类，发放资料30份'],
    approve: true,
  },
  { openid: 'demo-m12', items: ['为村里老人代办医保、社保业务'], approve: true },
  { openid: 'demo-m18', items: ['帮助3户村民发展庭院经济', '每季度参加一次政策宣讲'], approve: false },
];

export async function seedDemoCommitments(): Promise<void> {
  const secretary = await actorOf('demo-secretary');
  if (!secretary) return;
  const year = currentYear();
  for (const seed of SEEDS) {
    const member = await actorOf(seed.openid);
    if (!member?.orgId || member.orgId !== secretary.orgId) continue;
    const { commitment } = await putMine(member, { year, items: seed.items.map((text) => ({ text })) });
    await submit(member, commitment!.id);
    if (!seed.approve) continue;
    await review(secretary, commitment!.id, { decision: 'approve' });
    for (const text of seed.progress ?? []) await addProgress(member, commitment!.id, { text, photoUrls: [] });
  }
}
