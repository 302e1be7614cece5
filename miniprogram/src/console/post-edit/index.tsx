import { Input, Picker, Text, View } from '@tarojs/components';
import type { PostCategory, PostStatus } from '@pioneer/shared';
import { POST_CATEGORIES, POST_LIMITS as L, POST_STATUS_LABELS } from '@pioneer/shared/src/posts';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { createPost, getPost, updatePost } from '../../services/api';
import { createBody, draftOf, draftProblem, patchBody } from './draft';
import { SaveFoot, ScopePicker } from './edit-parts';
import { useEditDraft } from './use-edit-draft';
import './index.scss';

/** Taro passes `detail.value`; a plain DOM event (tests) carries it on the target. */
function inputValue(e: unknown): string {
  const ev = e as { detail?: { value?: unknown }; target?: { value?: unknown } };
  return String(ev.detail?.value ?? ev.target?.value ?? '');
}

const CATEGORY_OPTIONS = POST_CATEGORIES.map((c) => ({ value: c, label: c, testId: `pe-cat-${c}` }));
const STATUS_OPTIONS = (['open', 'closed'] as const).map((s) => ({
  value: s,
  label: POST_STATUS_LABELS[s],
  testId: `pe-status-${s}`,
}));

function DayPicker({
  label,
  value,
  onChange,
  testId,
}: {
  label: string;
  value: string;
  onChange: (day: string) => void;
  testId: string;
}) {
  return (
    <View className="pe__day">
      <Text className="pe__label">{label}</Text>
      <View className="pe__day-row">
        <Picker mode="date" value={value} onChange={(e) => onChange(String(e.detail.value))}>
          <View className="pe__day-value" data-testid={testId}>
            <Text>{value || '不限'}</Text>
          </View>
        </Picker>
        {value && (
          <Text className="pe__clear" onClick={() => onChange('')}>
            清除
          </Text>
        )}
      </View>
    </View>
  );
}

/** 发布 / 编辑岗位 (secretary: their branch; admin: their subtree). */
export default function PostEdit() {
  const { id, existing, orgs, draft, set, problem, saving, save, container } = useEditDraft(getPost, draftOf);
  const submit = () =>
    save(
      draftProblem,
      (d) => (id ? updatePost(id, patchBody(d)) : createPost(createBody(d))),
      id ? '已保存' : '已发布',
    );

  return (
    <PageContainer console="post-edit" className="pe" {...container} emptyText="只有支部书记和管理员可以发布岗位">
      {draft && (
        <View className="pe__card" data-testid="pe-form">
          <TextField
            label="岗位名称"
            value={draft.title}
            maxLength={L.titleMax}
            placeholder="例如：法律咨询岗"
            onChange={set('title')}
            testId="pe-title"
          />
          <Text className="pe__label">岗位类别</Text>
          <Segmented<PostCategory>
            label="岗位类别"
            options={CATEGORY_OPTIONS}
            value={draft.category}
            onChange={set('category')}
          />
          <TextField
            label="岗位说明"
            multiline
            value={draft.description}
            maxLength={L.descriptionMax}
            placeholder="做什么、在哪里、什么时间"
            onChange={set('description')}
            testId="pe-description"
          />
          <TextField
            label="需要的技能（选填，用逗号分开）"
            value={draft.skills}
            maxLength={200}
            placeholder="例如：法律，调解"
            onChange={set('skills')}
            testId="pe-skills"
          />
          <View className="field">
            <Text className="field__label">{`岗位人数（${L.capacityMin}-${L.capacityMax}）`}</Text>
            <Input
              className="field__input"
              type="number"
              value={draft.capacity}
              maxlength={4}
              onInput={(e: unknown) => set('capacity')(inputValue(e))}
              data-testid="pe-capacity"
            />
          </View>
          <DayPicker label="开始日期（选填）" value={draft.startDay} onChange={set('startDay')} testId="pe-start" />
          <DayPicker label="结束日期（选填）" value={draft.endDay} onChange={set('endDay')} testId="pe-end" />
          {id ? (
            <>
              <Text className="pe__label">{`发布范围：${existing?.org.name ?? ''}`}</Text>
              <Text className="pe__label">状态</Text>
              <Segmented<PostStatus>
                label="状态"
                options={STATUS_OPTIONS}
                value={draft.status}
                onChange={set('status')}
              />
            </>
          ) : (
            <ScopePicker what="发布范围" orgs={orgs} value={draft.orgId} onChange={set('orgId')} />
          )}
          <SaveFoot
            problem={problem}
            saving={saving}
            onSave={() => void submit()}
            label={id ? '保存' : '发布岗位'}
            testPrefix="pe"
          />
        </View>
      )}
    </PageContainer>
  );
}
