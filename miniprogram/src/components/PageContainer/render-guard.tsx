import { Component, type ReactNode } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';

interface Props {
  /** Also reloads the page's data, when the page has a loader. */
  onRetry?: () => void;
  children?: ReactNode;
}

/**
 * A page that throws while rendering (a reply of an unexpected shape, a bug) shows a kind message with 重试 in
 * place of its content instead of a blank screen; 重试 renders it again (and reloads its data when it can).
 */
export default class RenderGuard extends Component<Props, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.error('page render failed', error);
  }

  retry = (): void => {
    this.props.onRetry?.();
    this.setState({ failed: false });
  };

  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return (
      <View className="page-state" data-testid="page-crashed">
        <Text className="page-state__title">页面出了点问题</Text>
        <Text className="page-state__text">不是您的操作有误，请点重试；仍不行请稍后再来</Text>
        <Button type="primary" size="large" block onClick={this.retry} data-testid="crash-retry">
          重试
        </Button>
      </View>
    );
  }
}
