import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Me } from '@pioneer/shared';
import { POST_LIMITS as L } from '@pioneer/shared/src/posts';
import { dayKey, formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import Segmented from '../../components/Segmented';
import Stepper from '../../components/Stepper';
import TextField from '../../components/TextField';
import { usePointRules } from '../../hooks/use-point-rules';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { getOrgMembers, listPosts, recordServiceFor } from '../../services/api';

const DAY_MS = 86_400_000;
/** The last week, newest first: big buttons instead of a date keyboard (the server accepts up to 30 days). */
export function recentDays(now = Date.now()) {
  return Array.from({ length: 7 }, (_, i) => {
    const day = dayKey(now - i * DAY_MS);
    return {
      value: day,
      label: i === 0 ? '今天' : i === 1 ? '昨天' : i === 2 ? '前天' : formatShanghai(now - i * DAY_MS, 'M月D日'),
      testId: `proxy-day-${i}`,
    };
  });
}

async function loadChoices(me: Me) {
  const [people, posts] = await Promise.all([getOrgMembers(me.org!.id), listPosts({ limit: 100 })]);
  return { people: people.items.filter((p) => p.id !== me.id), posts: posts.items };
}

/**
 * 代为登记: service at a post by a member of my branch who has no smartphone. The record is confirmed by me at
 * once, pays its points once and carries my name and the reason (the server audits it).
 */
export default function ProxyTab({ me }: { me: Me }) {
  const choices = useRequest(() => loadChoices(me), [me.id], !!me.org);
  const days = recentDays();
  const [userId, setUserId] = useState('');
  const [postId, setPostId] = useState('');
  const [hours, setHours] = useState(1);
  const rules = usePointRules();
  const [servedOn, setServedOn] = useState(days[0]!.value);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const c = choices.data;
  const person = c?.people.find((p) => p.id === userId);
  const post = c?.posts.find((p) => p.id === postId);
  const ready = !!person && !!post && reason.trim().length >= L.proxyReasonMin && !busy;

  async function submit() {
    if (!person || !post) return;
    const dayLabel = days.find((d) => d.value === servedOn)?.label ?? servedOn;
    const { confirm } = await Taro.showModal({
      title: '确认代为登记',
      content: `为${person.name}登记「${post.title}」服务${hours}小时（${dayLabel}），登记后直接确认，计${rules.pays('post_service', hours)}分（受每日上限约束），并记入操作日志。`,
      confirmText: '确认登记',
      confirmColor: '#C8161D',
    });
    if (!confirm) return;
    setBusy(true);
    setError('');
    try {
      const record = await recordServiceFor({
        userId: person.id,
        postId: post.id,
        hours,
        servedOn,
        reason: reason.trim(),
        note: note.trim(),
      });
      void Taro.showToast({ title: `已登记，计${record.pointsAwarded ?? 0}分`, icon: 'none' });
      setUserId('');
      setReason('');
      setNote('');
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '登记失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageContainer
      inline
      loading={choices.loading}
      hasData={!!c}
      error={choices.error}
      onRetry={choices.reload}
      empty={!me.org || (!!c && (c.people.length === 0 || c.posts.length === 0))}
      emptyText={!me.org ? '加入党支部后才能代为登记' : '本支部还没有其他党员或可服务的岗位'}
    >
      {c && (
        <View className="sa__card" data-testid="proxy-form">
          <Text className="sa__section">代为登记服务</Text>
          <Text className="sa__hint">为没有智能手机的党员登记公益岗位服务。登记人和原因会记录在案。</Text>
          <Text className="sa__label">哪位党员</Text>
          <Segmented
            label="党员"
            options={c.people.map((p) => ({ value: p.id, label: p.name, testId: `proxy-member-${p.id}` }))}
            value={userId}
            onChange={setUserId}
          />
          <Text className="sa__label">哪个岗位</Text>
          <Segmented
            label="岗位"
            options={c.posts.map((p) => ({ value: p.id, label: p.title, testId: `proxy-post-${p.id}` }))}
            value={postId}
            onChange={setPostId}
          />
          <Text className="sa__label">服务日期</Text>
          <Segmented label="服务日期" options={days} value={servedOn} onChange={setServedOn} />
          <Stepper
            label="服务时长"
            value={hours}
            min={L.hoursMin}
            max={L.hoursMax}
            step={L.hoursStep}
            unit="小时"
            onChange={setHours}
            testId="proxy-hours"
          />
          <TextField
            label="代为登记的原因（必填）"
            value={reason}
            onChange={setReason}
            maxLength={L.proxyReasonMax}
            placeholder="例如：老党员没有智能手机"
            testId="proxy-reason"
          />
          <TextField
            label="服务内容（选填）"
            value={note}
            onChange={setNote}
            maxLength={L.noteMax}
            multiline
            placeholder="例如：路口引导车辆"
            testId="proxy-note"
          />
          {error && (
            <Text className="sa__error" data-testid="proxy-error">
              {error}
            </Text>
          )}
          <Button
            type="primary"
            size="xlarge"
            block
            disabled={!ready}
            onClick={() => void submit()}
            data-testid="proxy-submit"
          >
            代为登记
          </Button>
        </View>
      )}
    </PageContainer>
  );
}
