import { useEffect, useState, useMemo } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Wish } from '@pioneer/shared';
import { WISH_LIMITS as L } from '@pioneer/shared/src/posts';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { createWish, getWish, updateWish } from '../../services/api';
import { ApiError } from '../../services/api-error';
import { queryValue } from '../../utils/quiz-nav';
import { back } from '../../utils/service-nav';
import { publishOrgs } from '../post-edit/draft';
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

/** 登记 / 编辑微心愿. The resident's name and contact are for the secretary: members see the name masked only. */
export default function WishEdit() {
  const me = useMe();
  const id = queryValue(useRouter().params.id);
  const existing = useRequest(() => getWish(id!), [id], me.loggedIn && !!id);
  const orgs = useMemo(() => (me.data ? publishOrgs(me.data) : []), [me.data]);
  const [draft, setDraft] = useState<WishDraft | null>(null);
  const [problem, setProblem] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (draft || !me.data || (id && !existing.data)) return;
    setDraft(draftOf(existing.data, orgs[0]?.value ?? ''));
  }, [draft, me.data, existing.data, id, orgs]);

  const set =
    <K extends keyof WishDraft>(key: K) =>
    (value: WishDraft[K]) =>
      setDraft((d) => (d ? { ...d, [key]: value } : d));

  async function save() {
    if (!draft || saving) return;
    if (draft.title.trim().length < L.titleMin) return setProblem(`请填写心愿（至少${L.titleMin}个字）`);
    if (!draft.residentName.trim()) return setProblem('请填写群众姓名');
    setSaving(true);
    setProblem('');
    const text = {
      title: draft.title.trim(),
      description: draft.description.trim(),
      residentName: draft.residentName.trim(),
      residentContact: draft.residentContact.trim(),
    };
    try {
      if (id) await updateWish(id, { ...text, status: draft.closed ? 'closed' : 'open' });
      else await createWish({ ...text, orgId: draft.orgId });
      void Taro.showToast({ title: '已保存', icon: 'success' });
      back();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setSaving(false);
    }
  }

  const loading = me.loading || existing.loading;
  return (
    <PageContainer
      console="wish-edit"
      className="pe"
      loggedIn={me.loggedIn}
      loading={loading}
      hasData={!!draft}
      error={me.error ?? existing.error}
      onRetry={() => void (existing.error ? existing.reload() : me.reload())}
      empty={!loading && !!me.data && orgs.length === 0}
      emptyText="只有支部书记和管理员可以登记微心愿"
    >
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
          {!id && orgs.length > 1 && (
            <>
              <Text className="pe__label">登记范围</Text>
              <Segmented label="登记范围" options={orgs} value={draft.orgId} onChange={set('orgId')} />
            </>
          )}
          {problem && (
            <Text className="pe__problem" data-testid="we-problem">
              {problem}
            </Text>
          )}
          <Button type="primary" size="xlarge" block loading={saving} onClick={() => void save()} data-testid="we-save">
            {id ? '保存' : '登记心愿'}
          </Button>
        </View>
      )}
    </PageContainer>
  );
}
