import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useRequest } from '../../hooks/use-request';
import { getPlans } from '../../services/scorecards-api';

const SHOWN = 5;
const ZHENGDUN = '/console/zhengdun/index';

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
  return (
    <View className="dash__panel" data-testid="dash-zhengdun">
      <Text className="dash__panel-title">软弱涣散整顿</Text>
      <Text className="dash__cover-item" data-testid="dash-zhengdun-count">
        {open === 0 ? '辖区内没有整顿中的支部' : `整顿中${open}个支部`}
        {overdue.length > 0 ? `，逾期未完成${overdue.length}项` : ''}
      </Text>
      {overdue.slice(0, SHOWN).map((o) => (
        <Text key={`${o.planId}|${o.n}`} className="dash__cover-item" data-testid="dash-zhengdun-item">
          {o.townshipName} {o.branchName} · {o.text}（{o.owner}，期限 {o.deadline}）
        </Text>
      ))}
      <Text
        className="dash__link"
        data-testid="dash-zhengdun-link"
        onClick={() => void Taro.navigateTo({ url: ZHENGDUN })}
      >
        {overdue.length > SHOWN ? `查看全部${overdue.length}项` : '到软弱涣散整顿'} ›
      </Text>
    </View>
  );
}
