import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import type { SubscribeTemplate } from '@pioneer/shared';
import { useRequest } from '../../hooks/use-request';
import { getSubscriptions } from '../../services/notices-api';
import { askSubscribe } from '../../utils/subscribe';

interface Props {
  template: SubscribeTemplate;
  label: string;
  /** Said once WeChat's dialog was accepted. */
  done: string;
  testId: string;
}

/**
 * 订阅消息 consent at the moment it matters (a task to report, an activity to attend): shown only in WeChat, while
 * reminders are on and no consent of this kind is left. WeChat requires the ask to come from a tap.
 */
export default function RemindButton({ template, label, done, testId }: Props) {
  const isWeapp = process.env.TARO_ENV === 'weapp';
  const state = useRequest(getSubscriptions, [], isWeapp);
  const s = state.data;
  if (!isWeapp || !s?.enabled || !s.templates[template] || (s.counts[template] ?? 0) > 0) return null;
  const ask = () =>
    void askSubscribe(s, [template])
      .then((n) => {
        if (n > 0) void Taro.showToast({ title: done, icon: 'none' });
        void state.reload();
      })
      .catch(() => Taro.showToast({ title: '开启提醒失败，请重试', icon: 'none' }));
  return (
    <Button size="large" block onClick={ask} data-testid={testId}>
      {label}
    </Button>
  );
}
