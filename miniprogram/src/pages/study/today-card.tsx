import { Text, View } from '@tarojs/components';
import type { StudyToday } from '@pioneer/shared';

interface Row {
  label: string;
  progress: string;
  points: number;
  testId: string;
}

/**
 * 今日学习, like 学习强国's 积分 page: what was done today and the points it earned. Every number comes from the
 * server's card, which reads them from the ledger's entries.
 */
export default function TodayCard({ today }: { today: StudyToday }) {
  const rows: Row[] = [
    {
      label: '阅读文章',
      progress: `${today.read.count}/${today.read.cap ?? '不限'}`,
      points: today.read.points,
      testId: 'today-read',
    },
    {
      label: '观看视频',
      progress: `${today.watch.count}/${today.watch.cap ?? '不限'}`,
      points: today.watch.points,
      testId: 'today-watch',
    },
    {
      label: '每日答题',
      progress: today.daily.done ? '已完成' : '未完成',
      points: today.daily.points,
      testId: 'today-daily',
    },
    {
      label: '每周答题',
      progress: today.weekly.done ? '本周已完成' : '本周未完成',
      points: today.weekly.points,
      testId: 'today-weekly',
    },
    {
      label: '挑战答题',
      progress: today.challenge.done ? '今日已挑战' : '今日未挑战',
      points: today.challenge.points,
      testId: 'today-challenge',
    },
  ];
  return (
    <View className="study__today" data-testid="study-today">
      <View className="study__head">
        <Text className="study__title study__title--big">今日学习</Text>
        <Text className="study__today-total" data-testid="today-total">
          今日学习得分 {today.total}
        </Text>
      </View>
      {rows.map((r) => (
        <View key={r.testId} className="study__today-row" data-testid={r.testId}>
          <Text className="study__row-title">{r.label}</Text>
          <Text className="study__row-sub">{r.progress}</Text>
          <Text className="study__today-points">+{r.points}分</Text>
        </View>
      ))}
    </View>
  );
}
