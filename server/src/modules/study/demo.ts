/**
 * 学习 in the demo county: a handful of short study notes written for this project (original texts, no copies),
 * published by the county's admin (王组织) to the whole county through the real service, so catalogue, minimums
 * and sanitizing are what live use gives. Enough to try reading, 已学 marks and the daily card.
 */
import type { CreateArticleBody } from '@pioneer/shared';
import { LoginModel } from '../users/users.model';
import { loadSessionUser } from '../users/users.service';
import { publishArticle } from './articles.service';

type Note = Omit<CreateArticleBody, 'org' | 'cover' | 'minSeconds'>;

const NOTES: Note[] = [
  {
    title: '周一晨读：把“三会一课”开出实效',
    topic: '三会一课',
    source: '青山县委组织部 学习笔记',
    body: `<h3>为什么要按时开</h3><p>支部党员大会、支委会、党小组会和党课，是支部过组织生活的基本方式。按时开，党员就知道支部在做什么，有事有地方说，有问题有地方提。</p><h3>怎样开得有内容</h3><ul><li>会前把议题告诉大家，让党员带着想法来。</li><li>会上少念文件，多说村里正在办的事：修路、护河、照顾独居老人。</li><li>会后把分工写清楚，下次会上先说上次的事办得怎么样。</li></ul><p>开会不在长短，在于每个人都说了话、每件事都有人管。</p>`,
  },
  {
    title: '党员的八项义务，用村里的话说',
    topic: '党员权利义务',
    source: '青山县委组织部 学习笔记',
    body: `<p>党章规定了党员的义务。放到村里，可以这样理解：</p><ol><li>认真学习：每周抽一点时间读一读、想一想。</li><li>带头干事：村里有急难险重的活，党员先站出来。</li><li>守纪律：不该拿的不拿，不该说的不说。</li><li>维护团结：邻里有矛盾，先去劝和。</li><li>批评与自我批评：有错认错，有话当面说。</li><li>密切联系群众：常到乡亲家里坐坐，听听他们的难处。</li><li>发扬新风：红白喜事带头简办。</li><li>敢于斗争：看到歪风邪气要敢管。</li></ol><p>义务写在纸上，落在每天的小事里。</p>`,
  },
  {
    title: '讲给乡亲听的红色故事怎么准备',
    topic: '党史',
    source: '青山县委组织部 学习笔记',
    body: `<p>在村里讲党史，最打动人的往往是身边的人和事。准备一次讲述，可以分三步：</p><h3>一、找材料</h3><p>问问村里的老党员、翻翻县志和村史，把时间、地点、人物核对清楚，不讲没有出处的传说。</p><h3>二、理线索</h3><p>一个故事讲清一件事：当时遇到什么难处，人们怎么做，后来怎么样了。</p><h3>三、连当下</h3><p>最后说一说：今天我们村里，有哪些事还需要这样的精神。</p><blockquote>讲得真，比讲得多更重要。</blockquote>`,
  },
  {
    title: '积分怎么挣：党员积分制管理问答',
    topic: '党员积分制',
    source: '青山县委组织部 学习笔记',
    body: `<p><strong>问：积分是做什么用的？</strong></p><p>答：积分把党员平时的学习、服务和参加组织生活记下来，年底评议时有据可查，不凭印象。</p><p><strong>问：读文章也算吗？</strong></p><p>答：算。认真读完一篇文章得分，每篇只算一次，每天有上限。页面放着不看不计时，读得太快也不算，这是为了让大家真正读进去。</p><p><strong>问：分数可以改吗？</strong></p><p>答：书记或管理员调整积分必须写明理由，每一次调整都留有记录。</p>`,
  },
  {
    title: '网格里的一天：基层治理小记',
    topic: '基层治理',
    source: '青山县委组织部 学习笔记',
    body: `<p>早上七点，网格员老周先去看了看河边的护栏，昨天下雨，有一段松了，他拍照报给了村委会。</p><p>九点，两户人家因为宅基地边界吵了起来。老周请来了支部书记和老党员，大家拿着当年的图纸一起量，事情说开了。</p><p>下午，他挨家提醒独居老人注意降温，顺手帮一位大娘换了灯泡。</p><p>晚上记台账时，他写道：小事及时办，大事不出村。</p>`,
  },
  {
    title: '为民服务从一件小事做起',
    topic: '为民服务',
    source: '青山县委组织部 学习笔记',
    body: `<p>为民服务不一定是大项目。村口的路灯坏了及时修，留守儿童放学有人接，老人看病有人陪，都是乡亲们记在心里的事。</p><p>认领公益岗位、帮群众圆一个微心愿，是党员为民服务的好办法。服务时记得：</p><ul><li>先问需要什么，不替群众做决定；</li><li>答应的事按时办，办不了的说明原因；</li><li>办完了回头问一问，效果好不好。</li></ul>`,
  },
];

export async function seedDemoStudy(now = new Date()): Promise<number> {
  const login = await LoginModel.findById('wx:demo-admin').lean();
  const admin = login ? await loadSessionUser(login.userId) : null;
  if (!admin?.adminOrgId) return 0;
  for (const [i, note] of NOTES.entries()) {
    // A minute apart, the first the newest: the list shows them in this order.
    const at = new Date(now.getTime() - i * 60_000);
    await publishArticle(admin, { ...note, org: admin.adminOrgId, cover: null, minSeconds: null }, at);
  }
  return NOTES.length;
}
