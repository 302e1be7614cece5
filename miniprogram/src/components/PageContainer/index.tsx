import type { ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import ConsoleFrame, { type ConsoleKey } from '../ConsoleFrame';
import { useCareMode } from '../../hooks/use-care-mode';
import type { ApiError } from '../../services/api-error';
import { goToLogin } from '../../services/session';
import RenderGuard from './render-guard';
import PrivacyPopup from '../PrivacyPopup';
import './index.scss';

export interface PageContainerProps {
  /** False when the page needs a member and there is no session: shows the login prompt. */
  loggedIn?: boolean;
  loading?: boolean;
  /** Data from an earlier load exists: keep showing it while reloading. */
  hasData?: boolean;
  error?: ApiError;
  /** True when loaded but there is nothing to show. */
  empty?: boolean;
  emptyText?: string;
  onRetry?: () => void;
  className?: string;
  /** Inside a page (a list under filters) rather than the whole page: no full-height box. */
  inline?: boolean;
  /** An admin or secretary page: on a desk it sits in ConsoleFrame with this entry highlighted in the side navigation. */
  console?: ConsoleKey;
  children?: ReactNode;
}

type State = 'login' | 'loading' | 'error' | 'empty' | 'ready';

export function pageState(p: PageContainerProps): State {
  if (p.loggedIn === false) return 'login';
  if (p.error && !p.loading) return 'error';
  if (p.loading && !p.hasData) return 'loading';
  if (p.empty) return 'empty';
  return 'ready';
}

/** Every page sits in one of these; it owns what a member sees while waiting, on failure, and with no data. */
export default function PageContainer(props: PageContainerProps) {
  // Always inside ConsoleFrame (which adds nothing without `console` or off a desk): a page that learns it is a
  // console page only once `me` loads keeps the same tree, so its content is not remounted and its state not lost.
  return (
    <ConsoleFrame active={props.console}>
      <PageBody {...props} />
      {/* First use / a new 隐私保护指引 version, and WeChat's privacy check: one popup on whichever page is open. */}
      <PrivacyPopup />
    </ConsoleFrame>
  );
}

function PageBody(props: PageContainerProps) {
  const state = pageState(props);
  // 关怀模式: one root class; app.scss scales type and buttons and raises contrast under it.
  const care = useCareMode() && !props.inline ? ' care' : '';
  const kind = props.inline
    ? 'page-container--inline'
    : `page-container${props.console ? ' page-container--console' : ''}`;
  const cls = `${kind} ${props.className ?? ''}${care}`;
  if (state === 'ready')
    return (
      <View className={cls}>
        <RenderGuard onRetry={props.onRetry}>{props.children}</RenderGuard>
      </View>
    );

  return (
    <View className={cls}>
      <View className="page-state" data-testid={`page-${state}`}>
        {state === 'loading' && <Text className="page-state__text">正在加载…</Text>}
        {state === 'login' && (
          <>
            <Text className="page-state__title">请先登录</Text>
            <Text className="page-state__text">登录后可查看积分、排行和学习记录</Text>
            <Button type="primary" size="large" block onClick={goToLogin}>
              去登录
            </Button>
          </>
        )}
        {state === 'error' && (
          <>
            <Text className="page-state__title">加载失败</Text>
            <Text className="page-state__text">{props.error?.message ?? '出了点问题'}</Text>
            {props.onRetry && (
              <Button type="primary" size="large" block onClick={props.onRetry} data-testid="retry">
                重试
              </Button>
            )}
          </>
        )}
        {state === 'empty' && <Text className="page-state__text">{props.emptyText ?? '暂无内容'}</Text>}
      </View>
    </View>
  );
}
