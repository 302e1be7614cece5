import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { AuthResponse, DemoIdentity } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { getPublicConfig, loginDev, loginWechat } from '../../services/api';
import { goHome, setToken } from '../../services/session';
import './index.scss';

const isWeapp = process.env.TARO_ENV === 'weapp';

export default function Login() {
  const config = useRequest(getPublicConfig, []);
  const [busy, setBusy] = useState<string>();

  async function finish(login: () => Promise<AuthResponse>, key: string) {
    if (busy) return;
    setBusy(key);
    try {
      const { token } = await login();
      setToken(token);
      goHome();
    } catch {
      // request() already told the member what went wrong.
    } finally {
      setBusy(undefined);
    }
  }

  const wechat = () =>
    finish(async () => {
      const { code } = await Taro.login();
      return loginWechat(code);
    }, 'wechat');

  const demos: DemoIdentity[] = config.data?.devLogin ? config.data.demoIdentities : [];

  return (
    <PageContainer
      className="login"
      loading={config.loading && !isWeapp}
      hasData={config.data !== undefined}
      error={isWeapp ? undefined : config.error}
      onRetry={config.reload}
    >
      <View className="login__hero">
        <Text className="login__brand">先锋</Text>
        <Text className="login__slogan">党员学习 · 服务 · 积分</Text>
      </View>

      {isWeapp && (
        <View className="login__section">
          <Button
            type="primary"
            size="xlarge"
            block
            loading={busy === 'wechat'}
            onClick={wechat}
            data-testid="wechat-login"
          >
            微信一键登录
          </Button>
        </View>
      )}

      {demos.length > 0 && (
        <View className="login__section">
          <Text className="login__hint">演示环境：请选择一个身份进入</Text>
          {demos.map((d) => (
            <View
              key={d.openid}
              className={`login__demo${busy === d.openid ? ' login__demo--busy' : ''}`}
              data-testid={`demo-login-${d.openid}`}
              role="button"
              onClick={() => finish(() => loginDev(d.openid), d.openid)}
            >
              <Text className="login__demo-name">{d.name}</Text>
              <Text className="login__demo-label">{d.label}</Text>
              {busy === d.openid && <Text className="login__demo-busy">正在登录…</Text>}
            </View>
          ))}
        </View>
      )}

      {!isWeapp && config.data && !config.data.devLogin && (
        <View className="login__section">
          <Text className="login__hint">请在微信中打开「先锋」小程序登录。</Text>
        </View>
      )}
    </PageContainer>
  );
}
