import type { CreatePostBody, Me, PatchPostBody, Post, PostCategory, PostStatus } from '@pioneer/shared';
import { POST_LIMITS as L } from '@pioneer/shared/src/posts';
import { dayKey, shanghaiInstant } from '@pioneer/shared/src/time';
import { splitList } from '../../utils/service-format';

export interface PostDraft {
  title: string;
  category: PostCategory;
  description: string;
  /** As typed: 法律，调解 */
  skills: string;
  /** As typed; checked to be a whole number in range. */
  capacity: string;
  /** `YYYY-MM-DD` (Shanghai days) or ''. */
  startDay: string;
  endDay: string;
  orgId: string;
  status: PostStatus;
}

/** The orgs a secretary / admin can publish for: their branch, the subtree they run. */
export function publishOrgs(me: Me): { value: string; label: string; testId: string }[] {
  const out: { value: string; label: string; testId: string }[] = [];
  if (me.roles.includes('secretary') && me.org)
    out.push({ value: me.org.id, label: me.org.name, testId: 'pe-org-branch' });
  if (me.roles.includes('admin') && me.adminOrg && me.adminOrg.id !== me.org?.id)
    out.push({ value: me.adminOrg.id, label: me.adminOrg.name, testId: 'pe-org-admin' });
  return out;
}

const dayOf = (iso: string | null) => (iso ? dayKey(iso) : '');

export function draftOf(post: Post | undefined, orgId: string): PostDraft {
  if (!post)
    return {
      title: '',
      category: '政策宣讲',
      description: '',
      skills: '',
      capacity: '5',
      startDay: '',
      endDay: '',
      orgId,
      status: 'open',
    };
  return {
    title: post.title,
    category: post.category,
    description: post.description,
    skills: post.skills.join('，'),
    capacity: String(post.capacity),
    startDay: dayOf(post.startsAt),
    endDay: dayOf(post.endsAt),
    orgId: post.org.id,
    status: post.status,
  };
}

/** What is plainly wrong, in the secretary's words; the server checks everything again with the shared schema. */
export function draftProblem(d: PostDraft): string | null {
  if (d.title.trim().length < L.titleMin) return `请填写岗位名称（至少${L.titleMin}个字）`;
  if (!d.description.trim()) return '请填写岗位说明';
  const n = Number(d.capacity);
  if (!Number.isInteger(n) || n < L.capacityMin || n > L.capacityMax)
    return `岗位人数须为 ${L.capacityMin}-${L.capacityMax} 的整数`;
  if (splitList(d.skills).length > L.skillsMax) return `技能最多${L.skillsMax}项`;
  if (d.startDay && d.endDay && d.endDay < d.startDay) return '结束日期不能早于开始日期';
  if (!d.orgId) return '请选择发布范围';
  return null;
}

/** A Shanghai day's first or last moment, as the API's ISO time. */
const at = (day: string, end: boolean) =>
  day ? shanghaiInstant(day, end ? '23:59:59' : '00:00:00').toISOString() : null;

export function createBody(d: PostDraft): CreatePostBody {
  return {
    title: d.title.trim(),
    category: d.category,
    description: d.description.trim(),
    skills: splitList(d.skills),
    capacity: Number(d.capacity),
    orgId: d.orgId,
    startsAt: at(d.startDay, false),
    endsAt: at(d.endDay, true),
  };
}

export function patchBody(d: PostDraft): PatchPostBody {
  const { orgId: _org, ...rest } = createBody(d);
  return { ...rest, status: d.status };
}
