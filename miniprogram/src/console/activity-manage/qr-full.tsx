import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import type { QrReply } from '@pioneer/shared';

/**
 * The weapp draws its status bar over a `navigationStyle: 'custom'` page: the back button goes just under it, level
 * with WeChat's capsule (menu button). H5 has no status bar; CSS `env(safe-area-inset-top)` covers a notch there.
 */
function useBackTop(): number {
  const [top, setTop] = useState(0);
  useEffect(() => {
    if (process.env.TARO_ENV !== 'weapp') return;
    try {
      const capsule = Taro.getMenuButtonBoundingClientRect();
      setTop(capsule.top || Taro.getSystemInfoSync().statusBarHeight || 0);
    } catch {
      setTop(Taro.getSystemInfoSync().statusBarHeight ?? 0);
    }
  }, []);
  return top;
}

/** How often the live list and the code refresh while 签到管理 or the full screen is open. */
export const POLL_MS = 5_000;

export interface QrFullProps {
  title: string;
  qr: QrReply;
  signedIn: number;
  onExit: () => void;
}

/**
 * The projected sign-in code filling the window at any size: title, QR, the 6-digit code, a back button in the
 * safe area, and a tap anywhere returns too. Used in page (H5, 签到管理) and as a page of its own without WeChat's
 * navigation bar (weapp, /console/activity-qr).
 */
export default function QrFull({ title, qr, signedIn, onExit }: QrFullProps) {
  const top = useBackTop();
  return (
    // In the weapp the title starts under the back button wherever the capsule sits (a taller status bar on Android
    // than the CSS safe area says).
    <View
      className="manage__full"
      style={top ? { paddingTop: `${top + 52}px` } : undefined}
      data-testid="manage-full"
      onClick={onExit}
    >
      <View
        className="manage__full-back"
        style={top ? { top: `${top}px` } : undefined}
        data-testid="manage-full-back"
        aria-label="返回签到管理"
      >
        <Text>‹ 返回</Text>
      </View>
      <Text className="manage__full-title" data-testid="manage-full-title">
        {title}
      </Text>
      <Image className="manage__full-qr" src={qr.qrDataUrl} mode="scaleToFill" data-testid="manage-full-qr" />
      <Text className="manage__full-label">扫码签到 · 没有相机请输入签到码</Text>
      <Text className="manage__full-code" data-testid="manage-full-code">
        {qr.code}
      </Text>
      <Text className="manage__full-hint">每30秒更换 · 已签到 {signedIn} 人 · 轻触返回</Text>
    </View>
  );
}
