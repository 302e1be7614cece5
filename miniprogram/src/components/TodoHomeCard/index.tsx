import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Me } from '@pioneer/shared';
import { TODO_ITEMS, TODO_LABELS, TODO_PAGES } from '@pioneer/shared/src/todo';
import { useRequest } from '../../hooks/use-request';
import { getTodo } from '../../services/todo-api';
import './index.scss';

/**
 * 首页 待办 for a branch secretary: one line per queue with something waiting (外勤打卡, 承诺, 服务记录, 心愿, 请假,
 * 名册绑定), each opening the page that clears it. Hidden when nothing waits, and for everyone who runs no branch.
 */
export default function TodoHomeCard({ me }: { me: Me }) {
  const runsBranch = me.roles.includes('secretary') && !!me.org;
  const todo = useRequest(getTodo, [me], runsBranch);
  const t = todo.data;
  if (!runsBranch || !t || t.total === 0) return null;
  const waiting = TODO_ITEMS.filter((k) => t.items[k] > 0);
  return (
    <View className="todo-card" data-testid="home-todo">
      <Text className="todo-card__title">
        待办 <Text className="todo-card__total">{t.total}</Text> 件
      </Text>
      {waiting.map((k) => (
        <View
          key={k}
          className="todo-card__row"
          data-testid={`home-todo-${k}`}
          onClick={() => void Taro.navigateTo({ url: TODO_PAGES[k] })}
        >
          <Text className="todo-card__label">{TODO_LABELS[k]}</Text>
          <Text className="todo-card__count">{t.items[k]}</Text>
          <Text className="todo-card__go">去处理 ›</Text>
        </View>
      ))}
    </View>
  );
}
