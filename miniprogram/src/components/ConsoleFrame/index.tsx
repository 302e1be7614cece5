import { useEffect, type ReactNode } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { getMe } from '../../services/api';
import { useWideScreen } from '../../hooks/use-wide-screen';
import { HOME_PAGE } from '../../services/session';
import { consoleNavFor, type ConsoleItem, type ConsoleKey } from './nav';
import './index.scss';

export type { ConsoleKey } from './nav';

function open(item: ConsoleItem, active: ConsoleKey) {
  if (item.key === active) return;
  // One console page replaces another: the stack does not grow with every click in the side navigation.
  void Taro.redirectTo({ url: item.url });
}

/**
 * Each console page draws its own navigation, scrolled to the top: an entry low in a long list (an admin's 考勤报表)
 * was out of sight on the page it opened. Once the entries are drawn, the navigation scrolls so the page's own entry
 * shows, a third of the way down. The desk frame is H5's alone (a browser at >= 1024 px), so the DOM is there.
 */
function useActiveEntryInView(active: ConsoleKey, drawn: boolean) {
  useEffect(() => {
    if (!drawn || process.env.TARO_ENV !== 'h5') return;
    const nav = document.querySelector<HTMLElement>('[data-testid="console-nav"]');
    const item = document.querySelector<HTMLElement>(`[data-testid="console-nav-${active}"]`);
    if (!nav || !item) return;
    const top = item.getBoundingClientRect().top - nav.getBoundingClientRect().top + nav.scrollTop;
    if (top + item.offsetHeight > nav.scrollTop + nav.clientHeight || top < nav.scrollTop)
      nav.scrollTop = Math.max(0, top - nav.clientHeight / 3);
  }, [active, drawn]);
}

/** The desk layout: side navigation for the member's roles, the page beside it in a column of readable width. */
function DeskFrame({ active, children }: { active: ConsoleKey; children: ReactNode }) {
  // Not useMe: that loads on the page's show event, which has passed when a page puts on the frame after its own load.
  const loggedIn = useSession();
  const me = useRequest(getMe, [], loggedIn);
  const groups = me.data ? consoleNavFor(me.data) : [];
  useActiveEntryInView(active, groups.length > 0);
  return (
    <View className="console" data-testid="console-frame">
      <View className="console__nav" data-testid="console-nav">
        <Text className="console__brand">先锋 · 工作台</Text>
        {groups.map((g) => (
          <View key={g.title} className="console__group">
            <Text className="console__group-title">{g.title}</Text>
            {g.items.map((i) => (
              <View
                key={i.key}
                className={`console__item${i.key === active ? ' console__item--on' : ''}`}
                data-testid={`console-nav-${i.key}`}
                aria-current={i.key === active ? 'page' : undefined}
                onClick={() => open(i, active)}
              >
                <Text>{i.title}</Text>
              </View>
            ))}
          </View>
        ))}
        <View
          className="console__item console__home"
          data-testid="console-nav-home"
          onClick={() => void Taro.switchTab({ url: HOME_PAGE })}
        >
          <Text>返回首页</Text>
        </View>
      </View>
      <View className="console__main">{children}</View>
    </View>
  );
}

/**
 * Every page sits in this (PageContainer); admin and secretary pages name their entry (`console` prop). On a desktop
 * browser (>= 1024 px) those get the side navigation; member pages, phones and the mini-program get the page alone.
 */
export default function ConsoleFrame({ active, children }: { active?: ConsoleKey; children: ReactNode }) {
  const wide = useWideScreen();
  if (!wide || !active) return <>{children}</>;
  return <DeskFrame active={active}>{children}</DeskFrame>;
}
