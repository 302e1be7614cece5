import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { OrgTreeNode, RectifyQueueItem } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import {
  closeQueuedItem,
  getItemsToClose,
  getOverdueAcross,
  getOverdueItems,
  getReviewSettings,
  putReviewSettings,
} from '../../services/life-api';
import { getOrgTree } from '../../services/org-admin-api';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');

/** The county admin sets the share of 优秀 a branch may give (0–100%); every round's cap follows it. */
export function ShareSetting() {
  const [tick, setTick] = useState(0);
  const current = useRequest(() => getReviewSettings(), [tick], true);
  const [percent, setPercent] = useState('');
  const [note, setNote] = useState('');
  async function save() {
    const n = Number(percent);
    if (!percent.trim() || !Number.isFinite(n) || n < 0 || n > 100) return setNote('请填写0到100之间的百分比');
    try {
      await putReviewSettings(current.data!.org, Math.round(n) / 100);
      setNote('已保存');
      setPercent('');
      setTick((x) => x + 1);
    } catch (e) {
      setNote(message(e));
    }
  }
  if (!current.data) return null;
  return (
    <View className="section">
      <Text className="section__title">优秀等次比例（{current.data.orgName}）</Text>
      <Text className="section__hint" data-testid="share-current">
        当前：优秀不超过参评人数的{Math.round(current.data.excellentShare * 100)}%
      </Text>
      <TextField label="新的比例（%）" type="number" value={percent} onChange={setPercent} testId="share-input" />
      {note && (
        <Text className="section__hint" data-testid="share-note">
          {note}
        </Text>
      )}
      <Button type="primary" size="large" block onClick={() => void save()} data-testid="share-save">
        保存比例
      </Button>
    </View>
  );
}

function QueueRow({ q, action }: { q: RectifyQueueItem; action?: { label: string; run: () => void } }) {
  return (
    <View className="section" data-testid="queue-item">
      <Text className="section__title">
        {q.branchName} · {q.item.n}. {q.item.text}
      </Text>
      <Text className="section__hint" data-testid={`queue-status-${q.item.n}`}>
        {q.year}年度 · 期限 {formatShanghai(q.item.deadline, 'YYYY-MM-DD')}
        {q.item.owner ? ` · 责任人：${q.item.owner.name}` : ''}
        {q.item.evidence ? ` · 整改情况：${q.item.evidence}` : ''}
      </Text>
      {action && (
        <Button type="primary" size="large" block onClick={action.run} data-testid={`queue-close-${q.item.n}`}>
          {action.label}
        </Button>
      )}
    </View>
  );
}

/** The township's (or county's) list of branch-level items reported done: 销号 each after checking it. */
export function ToCloseList() {
  const [tick, setTick] = useState(0);
  const list = useRequest(() => getItemsToClose(), [tick], true);
  const items = list.data?.items ?? [];
  async function close(q: RectifyQueueItem) {
    try {
      await closeQueuedItem(q);
      void Taro.showToast({ title: '已销号', icon: 'none' });
      setTick((x) => x + 1);
    } catch (e) {
      void Taro.showToast({ title: message(e), icon: 'none' });
    }
  }
  return (
    <View>
      <View className="section">
        <Text className="section__title">待销号的支部整改事项</Text>
        <Text className="section__hint" data-testid="queue-summary">
          {items.length === 0 ? '没有待销号的事项' : `共${items.length}项，核实后销号`}
        </Text>
      </View>
      {items.map((q) => (
        <QueueRow
          key={`${q.branchId}|${q.year}|${q.item.n}`}
          q={q}
          action={{ label: '销号', run: () => void close(q) }}
        />
      ))}
    </View>
  );
}

/** The secretary's page: open items past their deadline (this year's and last year's). */
export function OverdueList({ branchId }: { branchId: string }) {
  const list = useRequest(() => getOverdueItems(branchId), [branchId], true);
  const items = list.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <View>
      <View className="section">
        <Text className="section__title form-error" data-testid="overdue-summary">
          逾期未整改{items.length}项
        </Text>
      </View>
      {items.map((q) => (
        <QueueRow key={`${q.year}|${q.item.n}`} q={q} />
      ))}
    </View>
  );
}

/** An admin's page: open items past their deadline in every branch below (the township's or county's view). */
export function OverdueAcross() {
  const list = useRequest(() => getOverdueAcross(), [], true);
  const items = list.data?.items ?? [];
  return (
    <View>
      <View className="section">
        <Text className="section__title">辖区逾期整改事项</Text>
        <Text className="section__hint" data-testid="overdue-all-summary">
          {items.length === 0 ? '辖区内没有逾期未整改的事项' : `逾期未整改${items.length}项`}
        </Text>
      </View>
      {items.map((q) => (
        <QueueRow key={`${q.branchId}|${q.year}|${q.item.n}`} q={q} />
      ))}
    </View>
  );
}

const branchesOf = (node: OrgTreeNode): OrgTreeNode[] =>
  node.type === 'branch' ? [node] : node.children.flatMap(branchesOf);

/** An admin picks a branch of their subtree to run its round (grading its secretary, whose grade is set above). */
export function BranchPicker({
  rootId,
  value,
  onChange,
}: {
  rootId: string;
  value: string;
  onChange: (id: string) => void;
}) {
  const tree = useRequest(() => getOrgTree(rootId), [rootId], true);
  const branches = tree.data ? branchesOf(tree.data).slice(0, 60) : [];
  if (branches.length === 0) return null;
  return (
    <View className="section">
      <Text className="section__title">评定支部书记等次</Text>
      <Text className="section__hint">书记本人的等次由上级评定：选择支部，结束投票后为书记确定等次</Text>
      <Segmented
        label="支部"
        value={value}
        onChange={onChange}
        options={branches.map((b) => ({ value: b.id, label: b.name, testId: `pick-${b.id}` }))}
      />
    </View>
  );
}
