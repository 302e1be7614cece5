import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button as TaroButton, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { RosterMatch } from '@pioneer/shared';
import TextField from '../TextField';
import { ApiError } from '../../services/api-error';
import { setToken } from '../../services/session';
import { bindRoster, claimRoster, codeFromScan, joinByCode, matchRosterPhone } from '../../services/roster-api';
import './index.scss';

const isWeapp = process.env.TARO_ENV === 'weapp';
const messageOf = (e: unknown) => (e instanceof ApiError ? e.message : '请稍后重试');

/** weapp: WeChat's phone button; the server asks WeChat for the number and shows the roster row to confirm. */
function WeappPhone({ onJoined }: { onJoined: () => void }) {
  const [match, setMatch] = useState<RosterMatch>();
  const [error, setError] = useState<string>();
  async function onPhone(e: { detail: { code?: string } }) {
    if (!e.detail.code) return setError('需要您同意使用微信手机号，才能在名册中找到您');
    try {
      setMatch(await matchRosterPhone(e.detail.code));
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  }
  async function confirm() {
    try {
      const auth = await bindRoster();
      setToken(auth.token);
      void Taro.showToast({ title: '绑定成功', icon: 'success' });
      onJoined();
    } catch (err) {
      setError(messageOf(err));
    }
  }
  return (
    <View>
      {!match && (
        <TaroButton
          className="join__phone-btn"
          openType="getPhoneNumber"
          onGetPhoneNumber={(e) => void onPhone(e as never)}
          data-testid="join-wx-phone"
        >
          用微信手机号查找名册
        </TaroButton>
      )}
      {match && !match.match && (
        <Text className="join__note">名册中没有 {match.phone}，请用邀请码或扫入党码加入。</Text>
      )}
      {match?.match && (
        <View className="join__match" data-testid="join-match">
          <Text className="join__note">
            名册中 {match.phone} 登记为：{match.match.name}（{match.match.branch}）
          </Text>
          <Button type="primary" size="large" block onClick={() => void confirm()} data-testid="join-confirm-name">
            是我本人，{match.match.name}
          </Button>
        </View>
      )}
      {error && <Text className="join__error">{error}</Text>}
    </View>
  );
}

/** H5: no SMS, so the typed phone and name go to the branch secretary, who knows their members, to confirm. */
function TypedPhone() {
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [sent, setSent] = useState<string>();
  const [error, setError] = useState<string>();
  const valid = /^1[3-9]\d{9}$/.test(phone) && name.trim().length > 0;
  async function send() {
    try {
      const reply = await claimRoster(phone, name.trim());
      setSent(reply.branch);
      setError(undefined);
    } catch (err) {
      setError(messageOf(err));
    }
  }
  if (sent) {
    return (
      <Text className="join__note" data-testid="join-claim-sent">
        已提交，请等待 {sent} 书记确认。确认后重新进入即可。
      </Text>
    );
  }
  return (
    <View>
      <TextField
        label="手机号（名册登记的）"
        value={phone}
        onChange={setPhone}
        type="number"
        maxLength={11}
        testId="join-phone"
      />
      <TextField label="姓名" value={name} onChange={setName} maxLength={30} testId="join-name" />
      <Button type="primary" size="large" block disabled={!valid} onClick={() => void send()} data-testid="join-claim">
        提交，请书记确认
      </Button>
      {error && (
        <Text className="join__error" data-testid="join-claim-error">
          {error}
        </Text>
      )}
    </View>
  );
}

/** A member in no branch: bind to the roster by phone, or join by the branch's QR or invite code. */
export default function JoinStep({ initialCode = '', onJoined }: { initialCode?: string; onJoined: () => void }) {
  const [code, setCode] = useState(initialCode);
  const [error, setError] = useState<string>();
  async function join(raw: string) {
    const c = codeFromScan(raw);
    if (!c) return setError('邀请码应为 6–12 位字母或数字');
    try {
      const me = await joinByCode(c);
      void Taro.showToast({ title: `已加入${me.org?.name ?? ''}`, icon: 'success' });
      onJoined();
    } catch (err) {
      setError(messageOf(err));
    }
  }
  async function scan() {
    try {
      const res = await Taro.scanCode({ onlyFromCamera: false });
      await join(res.result);
    } catch {
      // Cancelled: nothing to do.
    }
  }
  return (
    <View className="join" data-testid="join-step">
      <Text className="join__title">欢迎！先加入您的党支部</Text>
      <View className="join__card">
        <Text className="join__card-title">我在党员名册中</Text>
        <Text className="join__hint">组织部门已导入名册的党员，用名册登记的手机号找到自己。</Text>
        {isWeapp ? <WeappPhone onJoined={onJoined} /> : <TypedPhone />}
      </View>
      <View className="join__card">
        <Text className="join__card-title">扫入党码或输入邀请码</Text>
        {isWeapp && (
          <Button size="large" block onClick={() => void scan()} data-testid="join-scan">
            扫支部入党码
          </Button>
        )}
        <TextField
          label="邀请码（书记提供）"
          value={code}
          onChange={(v) => setCode(v.toUpperCase())}
          maxLength={12}
          testId="join-code"
        />
        <Button
          type="primary"
          size="large"
          block
          disabled={code.trim().length < 6}
          onClick={() => void join(code)}
          data-testid="join-submit"
        >
          加入支部
        </Button>
        {error && (
          <Text className="join__error" data-testid="join-error">
            {error}
          </Text>
        )}
      </View>
    </View>
  );
}
