import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import {
  DEFAULT_FIX_RETENTION_DAYS,
  PRIVACY_FEATURES,
  PRIVACY_VERSION,
  privacySections,
  type PrivacyStatus,
} from '@pioneer/shared/src/privacy';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { getPrivacy, postConsent } from '../../services/privacy-api';
import { answerPrivacy } from '../../services/privacy-prompt';
import { hasSession } from '../../services/session';
import './index.scss';

/** Before sign-in the guide is shown with the generic controller; signed in, with the member's county and settings. */
const GENERIC = privacySections({
  controller: '本县党委组织部',
  contact: '所在支部书记或县委组织部',
  retentionDays: DEFAULT_FIX_RETENTION_DAYS,
});

function ConsentBox({ status, onAnswered }: { status: PrivacyStatus; onAnswered: (s: PrivacyStatus) => void }) {
  const [busy, setBusy] = useState(false);
  const answer = async (agree: boolean) => {
    if (busy) return;
    setBusy(true);
    try {
      const next = await postConsent(PRIVACY_VERSION, agree ? 'agree' : 'refuse');
      answerPrivacy(agree);
      onAnswered(next);
    } catch (err) {
      void Taro.showToast({ title: (err as Error).message || '提交失败', icon: 'none' });
    } finally {
      setBusy(false);
    }
  };
  const c = status.consent;
  const current = c && c.version === status.version;
  return (
    <View className="privacy__consent" data-testid="privacy-consent">
      <Text className="privacy__state" data-testid="privacy-state">
        {!c && '您尚未答复本指引。'}
        {c &&
          !current &&
          `您曾于 ${formatShanghai(c.at, 'YYYY-MM-DD HH:mm')} 答复旧版本（${c.version}），指引已更新，请重新阅读并答复。`}
        {current &&
          `您已于 ${formatShanghai(c.at, 'YYYY-MM-DD HH:mm')} ${c.decision === 'agree' ? '同意' : '拒绝'}本指引（版本 ${c.version}）。`}
      </Text>
      {status.disabled.length > 0 && (
        <Text className="privacy__disabled" data-testid="privacy-disabled">
          暂不可用：{status.disabled.map((f) => PRIVACY_FEATURES[f]).join('；')}
        </Text>
      )}
      <View className="privacy__actions">
        {!(current && c.decision === 'refuse') && (
          <Button size="large" disabled={busy} onClick={() => void answer(false)} data-testid="privacy-page-refuse">
            {current ? '撤回同意' : '不同意'}
          </Button>
        )}
        {!(current && c.decision === 'agree') && (
          <Button
            type="primary"
            size="large"
            disabled={busy}
            onClick={() => void answer(true)}
            data-testid="privacy-page-agree"
          >
            同意
          </Button>
        )}
      </View>
    </View>
  );
}

/** 隐私保护指引: what is collected, why, who sees it, how long, the controller and whom to ask; the member's answer. */
export default function Privacy() {
  const signedIn = hasSession();
  const res = useRequest(getPrivacy, [], signedIn);
  const [answered, setAnswered] = useState<PrivacyStatus | null>(null);
  const status = answered ?? res.data;
  const sections = status?.sections ?? GENERIC;
  return (
    <PageContainer
      loading={signedIn && res.loading}
      hasData={!signedIn || !!status}
      error={signedIn ? res.error : undefined}
      onRetry={res.reload}
    >
      <View className="privacy" data-testid="privacy-page">
        <Text className="privacy__title">隐私保护指引</Text>
        <Text className="privacy__version">版本 {status?.version ?? PRIVACY_VERSION}</Text>
        {sections.map((s) => (
          <View key={s.title} className="privacy__section">
            <Text className="privacy__heading">{s.title}</Text>
            {s.body.map((line) => (
              <Text key={line} className="privacy__line">
                {line}
              </Text>
            ))}
          </View>
        ))}
        {status && <ConsentBox status={status} onAnswered={setAnswered} />}
      </View>
    </PageContainer>
  );
}
