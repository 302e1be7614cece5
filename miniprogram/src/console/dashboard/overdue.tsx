import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { formatShanghai } from '@pioneer/shared/src/time';
import { useRequest } from '../../hooks/use-request';
import { getOverdueAcross } from '../../services/life-api';

/** How many overdue items the board lists; the rest are on 民主评议管理. */
const SHOWN = 5;
const REVIEW_MANAGE = '/console/review-manage/index';

/**
 * 逾期整改 on the board (issue 21: overdue 整改 items "on the county dashboard"): for an admin, the open items past
 * their deadline in every branch below, the count and the first few, with the way to 民主评议管理 where they are handled.
 * `isAdmin` comes from the page: this panel mounts after the board has loaded, when the page has already shown, so a
 * useMe of its own (refreshed on show) would never load.
 */
export default function OverdueRectify({ isAdmin }: { isAdmin: boolean }) {
  const list = useRequest(() => getOverdueAcross(), [isAdmin], isAdmin);
  if (!isAdmin || !list.data) return null;
  const items = list.data.items;
  return (
    <View className="dash__panel" data-testid="dash-overdue">
      <Text className="dash__panel-title">逾期整改</Text>
      <Text className="dash__cover-item" data-testid="dash-overdue-count">
        {items.length === 0 ? '辖区内没有逾期未整改的事项' : `辖区内逾期未整改${items.length}项`}
      </Text>
      {items.slice(0, SHOWN).map((q) => (
        <Text key={`${q.branchId}|${q.year}|${q.item.n}`} className="dash__cover-item" data-testid="dash-overdue-item">
          {q.branchName} · {q.item.text}（期限 {formatShanghai(q.item.deadline, 'YYYY-MM-DD')}）
        </Text>
      ))}
      <Text
        className="dash__link"
        data-testid="dash-overdue-link"
        onClick={() => void Taro.navigateTo({ url: REVIEW_MANAGE })}
      >
        {items.length > SHOWN ? `查看全部${items.length}项` : '到民主评议管理'} ›
      </Text>
    </View>
  );
}
