import { Text, View } from '@tarojs/components';
import type { Wish } from '@pioneer/shared';
import { WISH_LIMITS as L } from '@pioneer/shared/src/posts';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { createWish, getWish, updateWish } from '../../services/api';
import { SaveFoot, ScopePicker } from '../post-edit/edit-parts';
import { useEditDraft } from '../post-edit/use-edit-draft';
import '../post-edit/index.scss';

interface WishDraft {
  title: string;
  description: string;
  residentName: string;
  residentContact: string;
  orgId: string;
  closed: boolean;
}

const draftOf = (w: Wish | undefined, orgId: string): WishDraft =>
  w
    ? {
        title: w.title,
        description: w.description,
        residentName: w.residentName,
        residentContact: w.residentContact ?? '',
        orgId: w.org.id,
        closed: w.status === 'closed',
      }
    : { title: '', description: '', residentName: '', residentContact: '', orgId, closed: false };

const STATUS_OPTIONS = [
  { value: 'open', label: '征集中', testId: 'we-status-open' },
  { value: 'closed', label: '已关闭', testId: 'we-status-closed' },
] as const;

/** The form's problem with the draft, or '' (the server checks again). */
function wishProblem(d: WishDraft): string {
  if (d.title.trim().length < L.titleMin) return `请填写心愿（至少${L.titleMin}个字）`;
  if (!d.residentName.trim()) return '请填写群众姓名';
  return '';
}

function writeWish(id: string | undefined, d: WishDraft) {
  const text = {
    title: d.title.trim(),
    description: d.description.trim(),
    residentName: d.residentName.trim(),
    residentContact: d.residentContact.trim(),
  };
  return id
    ? updateWish(id, { ...text, status: d.closed ? 'closed' : 'open' })
    : createWish({ ...text, orgId: d.orgId });
}

/** 登记 / 编辑微心愿. The resident's name and contact are for the secretary: members see the name masked only. */
export default function WishEdit() {
  const { id, orgs, draft, set, problem, saving, save, container } = useEditDraft(getWish, draftOf);
  const submit = () => save(wishProblem, (d) => writeWish(id, d), '已保存');

  return (
    <PageContainer console="wish-edit" className="pe" {...container} emptyText="只有支部书记和管理员可以登记微心愿">
      {draft && (
        <View className="pe__card" data-testid="we-form">
          <TextField
            label="心愿"
            value={draft.title}
            maxLength={L.titleMax}
            placeholder="例如：想学用智能手机视频通话"
            onChange={set('title')}
            testId="we-title"
          />
          <TextField
            label="说明（选填）"
            multiline
            value={draft.description}
            maxLength={L.descriptionMax}
            onChange={set('description')}
            testId="we-description"
          />
          <TextField
            label="群众姓名（党员只看到“张*明”）"
            value={draft.residentName}
            maxLength={L.residentNameMax}
            onChange={set('residentName')}
            testId="we-resident"
          />
          <TextField
            label="联系方式（选填，仅书记可见）"
            value={draft.residentContact}
            maxLength={L.contactMax}
            onChange={set('residentContact')}
            testId="we-contact"
          />
          {id && (
            <>
              <Text className="pe__label">状态</Text>
              <Segmented
                label="状态"
                options={STATUS_OPTIONS}
                value={draft.closed ? 'closed' : 'open'}
                onChange={(v) => set('closed')(v === 'closed')}
              />
            </>
          )}
          {!id && <ScopePicker what="登记范围" orgs={orgs} value={draft.orgId} onChange={set('orgId')} />}
          <SaveFoot
            problem={problem}
            saving={saving}
            onSave={() => void submit()}
            label={id ? '保存' : '登记心愿'}
            testPrefix="we"
          />
        </View>
      )}
    </PageContainer>
  );
}
