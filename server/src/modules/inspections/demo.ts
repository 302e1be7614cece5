import { dayKey } from '@pioneer/shared';
import { OrgModel, type OrgDoc } from '../orgs/orgs.model';
import { LoginModel } from '../users/users.model';
import { loadSessionUser } from '../users/users.service';
import { recordInspection } from './inspections.service';

const DAY = 86_400_000;
const FINDINGS = [
  '三会一课记录齐全，党员活动室整洁；建议把主题党日照片及时归档。',
  '支部书记在岗，党员积分公示已更新；两名流动党员联系不畅，已要求本月内补联系。',
  '上季度党课只有签到没有讲稿，已要求补齐；村务公开栏内容过期。',
  '承诺践诺公示到位，群众反映道路维修进度慢，已转乡镇跟进。',
];

/**
 * 巡查 in the demo county (issue 18): the county admin visited most villages' branches over the last weeks (the
 * first on site, inside 青山村's fence), so the board's coverage has something to show and one village is missing.
 */
export async function seedDemoInspections(now = new Date()): Promise<void> {
  const login = await LoginModel.findById('wx:demo-admin').lean();
  const admin = login ? await loadSessionUser(login.userId) : null;
  const root = admin?.adminOrgId;
  if (!admin || !root) return;
  // A seed over the small demo tree: a scan is fine here.
  const branches = (await OrgModel.find({ path: root, type: 'branch' }).lean<OrgDoc[]>())
    .filter((b) => b.path.length === 3)
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  const visits = branches.slice(0, Math.max(branches.length - 1, 1));
  for (const [i, branch] of visits.entries()) {
    const village = branch.parentId ? await OrgModel.findById(branch.parentId).lean<OrgDoc>() : null;
    const fence = i === 0 ? village?.fence : null;
    await recordInspection(
      admin,
      {
        org: branch._id,
        date: dayKey(now.getTime() - (3 + i * 6) * DAY),
        findings: FINDINGS[i % FINDINGS.length]!,
        photoUrls: [],
        location:
          fence?.lat != null && fence.lng != null
            ? { lat: fence.lat, lng: fence.lng, accuracy: 25, coordType: 'gcj02' }
            : null,
      },
      now,
    );
  }
}
