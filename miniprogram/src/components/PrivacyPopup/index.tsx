import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { PRIVACY_FEATURES, PRIVACY_VERSION } from '@pioneer/shared/src/privacy';
import { getPrivacy, postConsent } from '../../services/privacy-api';
import {
  AGREE_BUTTON_ID,
  answerPrivacy,
  askPrivacy,
  isPromptOpen,
  subscribePrompt,
} from '../../services/privacy-prompt';
import { hasSession } from '../../services/session';
import './index.scss';

export const PRIVACY_PAGE = '/pages/privacy/index';
const FEATURE_LIST = Object.values(PRIVACY_FEATURES).join('；');

/**
 * Asked once per app start (app.ts arms it at launch): the first page with a session asks the server whether this
 * member has answered this version of the guide; one who has not sees the popup. Pages rendered outside the app
 * (unit tests) never ask.
 */
let armed = false;
export function armPrivacyCheck(): void {
  armed = true;
}

async function checkOnce(): Promise<void> {
  if (!armed || !hasSession()) return;
  armed = false;
  try {
    if ((await getPrivacy()).needsConsent) askPrivacy();
  } catch {
    armed = true;
  }
}

const onPrivacyPage = () => (Taro.getCurrentInstance?.()?.router?.path ?? '').includes('pages/privacy/');

/**
 * The first-use popup (and WeChat's `onNeedPrivacyAuthorization`): agree, or refuse and keep using the app without
 * what needs the data. Mounted by PageContainer on every page; hidden on the guide itself, which has its own buttons.
 */
export default function PrivacyPopup() {
  const [open, setOpen] = useState(isPromptOpen());
  const [busy, setBusy] = useState(false);
  useEffect(() => subscribePrompt(setOpen), []);
  useEffect(() => {
    void checkOnce();
  }, []);
  if (!open || onPrivacyPage()) return null;

  const answer = async (agree: boolean) => {
    if (busy) return;
    setBusy(true);
    try {
      await postConsent(PRIVACY_VERSION, agree ? 'agree' : 'refuse');
      answerPrivacy(agree);
      if (!agree)
        void Taro.showModal({
          title: '您已拒绝',
          content: `以下功能暂不可用：${FEATURE_LIST}。其余功能照常使用，可随时在“我的 → 隐私保护指引”中同意。`,
          showCancel: false,
        });
    } catch (err) {
      void Taro.showToast({ title: (err as Error).message || '提交失败，请重试', icon: 'none' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="privacy-popup" data-testid="privacy-popup">
      <View className="privacy-popup__sheet">
        <Text className="privacy-popup__title">隐私保护指引</Text>
        <Text className="privacy-popup__text">
          为了积分、学习、驻村打卡和志愿服务，我们会处理您的姓名、所在支部、手机号（您填写时）、打卡时的位置和您上传的照片。手机号对他人打码；精确坐标按县里规定的期限（默认
          90 天）后删除。
        </Text>
        <Text
          className="privacy-popup__link"
          data-testid="privacy-popup-read"
          onClick={() => void Taro.navigateTo({ url: PRIVACY_PAGE })}
        >
          阅读《隐私保护指引》全文 ›
        </Text>
        <Text className="privacy-popup__note">不同意也可以继续使用，但{FEATURE_LIST}将不可用。</Text>
        <View className="privacy-popup__actions">
          <Button
            className="privacy-popup__refuse"
            data-testid="privacy-refuse"
            disabled={busy}
            onClick={() => void answer(false)}
          >
            不同意
          </Button>
          <Button
            className="privacy-popup__agree"
            id={AGREE_BUTTON_ID}
            openType={'agreePrivacyAuthorization' as never}
            data-testid="privacy-agree"
            disabled={busy}
            onClick={() => void answer(true)}
          >
            同意
          </Button>
        </View>
      </View>
    </View>
  );
}
