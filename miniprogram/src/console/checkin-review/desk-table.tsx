import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { PendingItem } from '@pioneer/shared';
import { CHECKIN_FLAG_LABELS, CHECKIN_RULES } from '@pioneer/shared/src/checkins';
import DataTable, { type Column } from '../../components/DataTable';
import Segmented from '../../components/Segmented';
import { formatTime } from '../../utils/format';
import { formatDistance } from '../../utils/location';
import { useDecision, type Decision } from './use-decision';

type FlagFilter = 'all' | 'flagged' | 'clean';

/** Taro passes `detail.value`; a plain DOM event (tests) carries it on the target (as TextField does). */
function valueOf(e: unknown): string {
  const ev = e as { detail?: { value?: unknown }; target?: { value?: unknown } };
  return String(ev.detail?.value ?? ev.target?.value ?? '');
}

/** The row's actions at a desk: an optional comment and 批准/驳回, side by side in the row. */
function RowActions({ item, onDone }: { item: PendingItem; onDone: (id: string, decision: Decision) => void }) {
  const { comment, setComment, busy, error, decide } = useDecision(item, onDone);

  return (
    <View className="review-desk__actions">
      <Input
        className="review-desk__comment"
        value={comment}
        maxlength={CHECKIN_RULES.commentMax}
        placeholder="审核意见（选填）"
        onInput={(e) => setComment(valueOf(e))}
        data-testid="review-desk-comment"
      />
      <Button disabled={busy} onClick={() => void decide('reject')} data-testid="review-desk-reject">
        驳回
      </Button>
      <Button type="primary" disabled={busy} onClick={() => void decide('approve')} data-testid="review-desk-approve">
        批准
      </Button>
      {error && <Text className="review-desk__error">{error}</Text>}
    </View>
  );
}

const columns = (onDone: (id: string, d: Decision) => void): Column<PendingItem>[] => [
  { key: 'name', title: '驻村干部', render: (i) => i.name, sortBy: (i) => i.name },
  { key: 'at', title: '打卡时间', render: (i) => formatTime(i.at), sortBy: (i) => i.at },
  {
    key: 'place',
    title: '支部 · 驻村',
    render: (i) => `${i.branchName} · ${i.villageName}`,
    sortBy: (i) => i.villageName,
  },
  {
    key: 'distance',
    title: '距打卡点',
    numeric: true,
    render: (i) => formatDistance(i.distanceM),
    sortBy: (i) => i.distanceM,
  },
  { key: 'accuracy', title: '精度', numeric: true, render: (i) => `${Math.round(i.accuracy)}米` },
  { key: 'reason', title: '外勤说明', render: (i) => i.reason ?? '（未填写）' },
  {
    key: 'flags',
    title: '存疑',
    render: (i) => (
      <Text className={i.flags.length ? 'review-desk__flag' : undefined}>
        {i.flags.map((f) => CHECKIN_FLAG_LABELS[f]).join('、') || '—'}
      </Text>
    ),
    sortBy: (i) => i.flags.length,
  },
  { key: 'actions', title: '审核', render: (i) => <RowActions key={i.id} item={i} onDone={onDone} /> },
];

/** 打卡审核 at a desk: filters in a row (存疑, name), the queue as a sortable, paged table, actions in the row. */
export default function ReviewDeskTable({
  items,
  onDone,
}: {
  items: PendingItem[];
  onDone: (id: string, decision: Decision) => void;
}) {
  const [flags, setFlags] = useState<FlagFilter>('all');
  const [name, setName] = useState('');
  const rows = items.filter(
    (i) =>
      (flags === 'all' || (flags === 'flagged') === i.flags.length > 0) &&
      (!name.trim() || i.name.includes(name.trim())),
  );
  return (
    <View className="review-desk">
      <View className="review-desk__filters">
        <Segmented<FlagFilter>
          options={[
            { value: 'all', label: `全部 ${items.length}`, testId: 'review-filter-all' },
            { value: 'flagged', label: '有存疑', testId: 'review-filter-flagged' },
            { value: 'clean', label: '无存疑', testId: 'review-filter-clean' },
          ]}
          value={flags}
          onChange={setFlags}
          label="存疑筛选"
        />
        <Input
          className="review-desk__search"
          value={name}
          placeholder="按姓名查找"
          onInput={(e) => setName(valueOf(e))}
          data-testid="review-filter-name"
        />
      </View>
      {rows.length === 0 ? (
        <Text className="review__intro">没有符合条件的外勤打卡</Text>
      ) : (
        <DataTable rows={rows} columns={columns(onDone)} rowKey={(i) => i.id} testId="review-table" />
      )}
    </View>
  );
}
