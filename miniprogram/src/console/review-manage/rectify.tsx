import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { RectifyItem, ReviewMember } from '@pioneer/shared';
import { RECTIFY_STATUS_LABELS, RECTIFY_TEXT_MAX } from '@pioneer/shared/src/reviews';
import { formatShanghai } from '@pioneer/shared/src/time';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { closeRectifyItem, createRectifyItem, getRectifyItems } from '../../services/reviews-api';
import { downloadFile } from '../../services/download';
import { rectifyXlsxUrl } from '../../services/life-api';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');

function ItemRow({
  item,
  branchId,
  year,
  onChanged,
}: {
  item: RectifyItem;
  branchId: string;
  year: number;
  onChanged: () => void;
}) {
  async function close() {
    try {
      await closeRectifyItem(branchId, year, item.n);
      onChanged();
    } catch (e) {
      void Taro.showToast({ title: message(e), icon: 'none' });
    }
  }
  return (
    <View className="section" data-testid="rectify-item" data-n={item.n}>
      <Text className="section__title">
        {item.n}. {item.text}
      </Text>
      <Text className="section__hint" data-testid={`rectify-status-${item.n}`}>
        {item.owner ? `责任人：${item.owner.name}` : '支部问题（乡镇销号）'} · 期限{' '}
        {formatShanghai(item.deadline, 'YYYY-MM-DD')} · {RECTIFY_STATUS_LABELS[item.status]}
        {item.overdue ? ' · 已逾期' : ''}
      </Text>
      {item.evidence && <Text className="section__hint">整改情况：{item.evidence}</Text>}
      {item.status === 'done' && item.level === 'member' && (
        <Button type="primary" size="large" block onClick={() => void close()} data-testid={`rectify-close-${item.n}`}>
          销号
        </Button>
      )}
    </View>
  );
}

/** 问题清单 -> 整改清单 of the branch for the year: record items (owner, deadline), see status and overdue, 销号. */
export function RectifySection({
  branchId,
  year,
  members,
}: {
  branchId: string;
  year: number;
  members: ReviewMember[];
}) {
  const [tick, setTick] = useState(0);
  const list = useRequest(() => getRectifyItems(branchId, year), [tick], true);
  const [text, setText] = useState('');
  const [owner, setOwner] = useState<string>('branch');
  const [days, setDays] = useState('30');
  const [error, setError] = useState('');
  async function add() {
    if (!text.trim()) return setError('请填写问题');
    setError('');
    try {
      const deadline = new Date(Date.now() + Math.max(1, Number(days) || 30) * 86_400_000).toISOString();
      await createRectifyItem({
        year,
        text: text.trim(),
        deadline,
        ...(owner === 'branch' ? { level: 'branch' } : { level: 'member', ownerId: owner }),
      });
      setText('');
      setTick((n) => n + 1);
    } catch (e) {
      setError(message(e));
    }
  }
  const items = list.data?.items ?? [];
  async function exportList() {
    try {
      await downloadFile(rectifyXlsxUrl(branchId, year), `rectify-${year}.xlsx`);
    } catch (e) {
      void Taro.showToast({ title: message(e), icon: 'none' });
    }
  }
  return (
    <View>
      <View className="section">
        <Text className="section__title">问题清单 · 整改清单</Text>
        <Text className="section__hint" data-testid="rectify-summary">
          共{items.length}项，待整改{items.filter((i) => i.status === 'open').length}项，逾期
          {items.filter((i) => i.overdue).length}项
        </Text>
        <TextField
          label="问题"
          value={text}
          onChange={setText}
          maxLength={RECTIFY_TEXT_MAX}
          multiline
          testId="rectify-text"
        />
        <Segmented
          label="责任人"
          value={owner}
          onChange={setOwner}
          options={[
            { value: 'branch', label: '支部', testId: 'rectify-owner-branch' },
            ...members.map((m) => ({ value: m.id, label: m.name, testId: `rectify-owner-${m.id}` })),
          ]}
        />
        <TextField label="整改期限（天）" type="number" value={days} onChange={setDays} testId="rectify-days" />
        {error && (
          <Text className="form-error" data-testid="rectify-error">
            {error}
          </Text>
        )}
        <Button type="primary" size="large" block onClick={() => void add()} data-testid="rectify-add">
          列入整改清单
        </Button>
        {items.length > 0 && (
          <Button size="large" block onClick={() => void exportList()} data-testid="rectify-export">
            导出问题整改清单（Excel）
          </Button>
        )}
      </View>
      {items.map((i) => (
        <ItemRow key={i.n} item={i} branchId={branchId} year={year} onChanged={() => setTick((n) => n + 1)} />
      ))}
    </View>
  );
}
