import { useRequest } from '../../hooks/use-request';
import { getPlans } from '../../services/scorecards-api';
import BoardList from './board-list';

/**
 * 软弱涣散整顿 on the board (issue 18 item 3, "overdue items listed"): for an admin, how many branches are under a
 * plan, the items past their deadline (the first few), and the way to the 整顿 page where they are handled.
 * `isAdmin` comes from the page (see OverdueRectify).
 */
export default function ZhengdunPanel({ isAdmin }: { isAdmin: boolean }) {
  const res = useRequest(() => getPlans(), [isAdmin], isAdmin);
  if (!isAdmin || !res.data) return null;
  const open = res.data.plans.filter((p) => p.status === 'open').length;
  const overdue = res.data.overdue;
  const late = overdue.length > 0 ? `，逾期未完成${overdue.length}项` : '';
  return (
    <BoardList
      testId="dash-zhengdun"
      title="软弱涣散整顿"
      count={open === 0 ? `辖区内没有整顿中的支部${late}` : `整顿中${open}个支部${late}`}
      items={overdue.map((o) => ({
        key: `${o.planId}|${o.n}`,
        text: `${o.townshipName} ${o.branchName} · ${o.text}（${o.owner}，期限 ${o.deadline}）`,
      }))}
      link="到软弱涣散整顿"
      url="/console/zhengdun/index"
    />
  );
}
