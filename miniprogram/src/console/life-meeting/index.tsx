import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { LifeMeetingView } from '@pioneer/shared';
import { LIFE_TOPICS_MAX, LIFE_TOPIC_MAX } from '@pioneer/shared/src/schemas/life-meeting';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { getLifeMeeting, openLifeMeeting } from '../../services/life-api';
import { TalksSection } from './talks';
import '../../pages/identity/index.scss';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');
const thisYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
const orNull = async <T,>(p: Promise<T>) =>
  p.catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });

function Topics({ year, view, onSaved }: { year: number; view: LifeMeetingView | null; onSaved: () => void }) {
  const [text, setText] = useState(view?.topics.join('\n') ?? '');
  const [error, setError] = useState('');
  async function save() {
    const topics = text
      .split('\n')
      .map((t) => t.trim())
      .filter(Boolean);
    if (topics.length === 0) return setError('请至少填写一个对照检查主题');
    setError('');
    try {
      await openLifeMeeting({ year, topics });
      void Taro.showToast({ title: '已保存主题', icon: 'none' });
      onSaved();
    } catch (e) {
      setError(message(e));
    }
  }
  return (
    <View className="section">
      <Text className="section__title" data-testid="life-title">
        {year}年度组织生活会
      </Text>
      <Text className="section__hint" data-testid="life-hint">
        {view ? '对照检查主题（每行一个）' : '尚未安排。填写本年度对照检查主题（每行一个），党员会前据此提交对照检查。'}
      </Text>
      <TextField
        label="主题"
        value={text}
        onChange={setText}
        maxLength={LIFE_TOPICS_MAX * (LIFE_TOPIC_MAX + 1)}
        multiline
        testId="life-topics"
      />
      {error && (
        <Text className="form-error" data-testid="life-error">
          {error}
        </Text>
      )}
      <Button type="primary" size="large" block onClick={() => void save()} data-testid="life-save">
        {view ? '更新主题' : '安排组织生活会'}
      </Button>
    </View>
  );
}

function Meeting({ view }: { view: LifeMeetingView }) {
  const m = view.meeting;
  return (
    <View className="section">
      <Text className="section__title">会议与纪要</Text>
      <Text className="section__hint" data-testid="life-meeting">
        {m
          ? `${m.title} · ${formatShanghai(m.startsAt, 'YYYY-MM-DD HH:mm')} · ${m.held ? `已召开，实到${m.attended}/${m.expected}人` : '未召开'}`
          : '尚未在活动管理中安排“组织生活会”类型的活动（签到、纪要与其他活动相同）'}
      </Text>
      {m?.minutes && <Text className="section__hint">纪要：{m.minutes}</Text>}
      {m?.held && <Text className="section__hint">会后请在“民主评议”页列出问题清单，转为整改清单。</Text>}
    </View>
  );
}

function Checks({ view }: { view: LifeMeetingView }) {
  const missing = view.checks.filter((c) => !c.submittedAt);
  return (
    <View className="section">
      <Text className="section__title">对照检查</Text>
      <Text className="section__hint" data-testid="checks-summary">
        已提交{view.checks.length - missing.length}/{view.checks.length}人
        {missing.length > 0 ? `；未提交：${missing.map((c) => c.member.name).join('、')}` : ''}
      </Text>
      {view.checks
        .filter((c) => c.submittedAt)
        .map((c) => (
          <Text className="section__hint" key={c.member.id} data-testid="check-row">
            {c.member.name} · {formatShanghai(c.submittedAt!, 'MM-DD HH:mm')} 提交
          </Text>
        ))}
    </View>
  );
}

/** 组织生活会: the secretary sets the year's topics, sees who submitted 对照检查, the meeting, the 谈心谈话 register. */
export default function LifeMeetingPage() {
  const me = useMe();
  const branchId = me.data?.roles.includes('secretary') ? (me.data.org?.id ?? null) : null;
  const year = thisYear();
  const [tick, setTick] = useState(0);
  const view = useRequest(
    async () => (branchId ? orNull(getLifeMeeting(branchId, year)) : null),
    [branchId, tick],
    true,
  );
  return (
    <PageContainer
      console="life-meeting"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
    >
      <View className="identity">
        {!branchId && <Text className="section__hint">组织生活会由支部书记安排</Text>}
        {branchId && !view.loading && (
          <Topics
            key={view.data?.topics.join('\n') ?? 'new'}
            year={year}
            view={view.data ?? null}
            onSaved={() => setTick((n) => n + 1)}
          />
        )}
        {view.error && <Text className="form-error">{view.error.message}</Text>}
        {branchId && view.data && (
          <View>
            <Meeting view={view.data} />
            <Checks view={view.data} />
            <TalksSection branchId={branchId} year={year} members={view.data.members} meId={me.data!.id} />
          </View>
        )}
      </View>
    </PageContainer>
  );
}
