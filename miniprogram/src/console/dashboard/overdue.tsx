import { formatShanghai } from '@pioneer/shared/src/time';
import { useRequest } from '../../hooks/use-request';
import { getOverdueAcross } from '../../services/life-api';
import BoardList from './board-list';

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
    <BoardList
      testId="dash-overdue"
      title="逾期整改"
      count={items.length === 0 ? '辖区内没有逾期未整改的事项' : `辖区内逾期未整改${items.length}项`}
      items={items.map((q) => ({
        key: `${q.branchId}|${q.year}|${q.item.n}`,
        text: `${q.branchName} · ${q.item.text}（期限 ${formatShanghai(q.item.deadline, 'YYYY-MM-DD')}）`,
      }))}
      link="到民主评议管理"
      url="/console/review-manage/index"
    />
  );
}
