import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { MyData } from '@pioneer/shared/src/privacy';
import PageContainer from '../../components/PageContainer';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { patchMe } from '../../services/api';
import { downloadFile } from '../../services/download';
import { closeMyAccount, getMyData, myDataXlsxUrl } from '../../services/privacy-api';
import { clearToken, goToLogin } from '../../services/session';
import './index.scss';

const toast = (title: string) => void Taro.showToast({ title, icon: 'none' });

/** JSON: a file in H5; in WeChat (no file save for JSON) copied to the clipboard. */
async function downloadJson(data: MyData): Promise<void> {
  const text = JSON.stringify(data, null, 2);
  if (process.env.TARO_ENV === 'h5') {
    const href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = href;
    a.download = '我的数据.json';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(href), 10_000);
    return;
  }
  await Taro.setClipboardData({ data: text });
}

const preview = (row: Record<string, unknown>) =>
  Object.entries(row)
    // Internal ids say nothing to a member on this page (the downloads keep them).
    .filter(([k]) => !/(^_id|Id|Ids)$/.test(k))
    .slice(0, 4)
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`.slice(0, 80))
    .join(' · ');

function Sections({ data }: { data: MyData }) {
  return (
    <View className="mydata__card" data-testid="mydata-sections">
      <Text className="mydata__heading">保存的关于我的记录</Text>
      {data.sections.map((s) => (
        <View key={s.key} className="mydata__section" data-testid={`mydata-section-${s.key}`}>
          <Text className="mydata__section-title">
            {s.title}（{s.rows.length} 条）
          </Text>
          {s.rows.slice(0, 2).map((r, i) => (
            <Text key={i} className="mydata__row">
              {preview(r)}
            </Text>
          ))}
        </View>
      ))}
    </View>
  );
}

function Correct({ name, contact, onSaved }: { name: string; contact: string; onSaved: () => void }) {
  const [n, setN] = useState(name);
  const [c, setC] = useState(contact);
  const [busy, setBusy] = useState(false);
  useEffect(() => setN(name), [name]);
  useEffect(() => setC(contact), [contact]);
  const save = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await patchMe({ name: n.trim(), identity: { contact: c.trim() } });
      toast('已更正');
      onSaved();
    } catch (err) {
      toast((err as Error).message || '保存失败');
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="mydata__card" data-testid="mydata-correct">
      <Text className="mydata__heading">更正我的信息</Text>
      <TextField label="姓名" value={n} onChange={setN} maxLength={20} testId="mydata-name" />
      <TextField
        label="联系电话"
        value={c}
        onChange={setC}
        maxLength={11}
        testId="mydata-contact"
        placeholder="11位手机号，可留空"
      />
      <Button type="primary" size="large" block disabled={busy} onClick={() => void save()} data-testid="mydata-save">
        保存更正
      </Button>
    </View>
  );
}

function CloseAccount() {
  const [word, setWord] = useState('');
  const [busy, setBusy] = useState(false);
  const close = async () => {
    if (word.trim() !== '注销') return toast('请输入“注销”两字确认');
    const { confirm } = await Taro.showModal({
      title: '注销账号',
      content:
        '注销后，您的姓名、手机号、照片、身份卡、打卡坐标和微信登录关联将被删除或匿名化，且无法恢复。积分以匿名编号计入组织统计。确定注销？',
      confirmText: '确定注销',
      confirmColor: '#C8161D',
    });
    if (!confirm || busy) return;
    setBusy(true);
    try {
      await closeMyAccount();
      clearToken();
      toast('账号已注销');
      goToLogin();
    } catch (err) {
      toast((err as Error).message || '注销失败');
      setBusy(false);
    }
  };
  return (
    <View className="mydata__card mydata__danger" data-testid="mydata-close">
      <Text className="mydata__heading">注销账号</Text>
      <Text className="mydata__text">个人信息将被删除或不可逆地匿名化，支部看到的是“已注销党员”。此操作无法撤销。</Text>
      <TextField label="输入“注销”确认" value={word} onChange={setWord} maxLength={4} testId="mydata-close-word" />
      <Button
        size="large"
        block
        disabled={busy}
        onClick={() => void close()}
        data-testid="mydata-close-button"
        className="mydata__close"
      >
        注销我的账号
      </Button>
    </View>
  );
}

/** 我的数据: everything stored about me, downloads (JSON, Excel), corrections, and closing the account. */
export default function MyDataPage() {
  const me = useMe();
  const data = useRequest(getMyData, [], me.loggedIn);
  const [busy, setBusy] = useState(false);
  const xlsx = async () => {
    setBusy(true);
    try {
      await downloadFile(myDataXlsxUrl(), 'my-data.xlsx');
    } catch (err) {
      toast((err as Error).message || '下载失败');
    } finally {
      setBusy(false);
    }
  };
  const json = async () => {
    if (!data.data) return;
    await downloadJson(data.data);
    if (process.env.TARO_ENV !== 'h5') toast('已复制到剪贴板');
  };
  return (
    <PageContainer
      loggedIn={me.loggedIn}
      loading={data.loading || me.loading}
      hasData={!!data.data && !!me.data}
      error={data.error ?? me.error}
      onRetry={data.reload}
    >
      {data.data && me.data && (
        <View className="mydata" data-testid="mydata-page">
          <View className="mydata__card">
            <Text className="mydata__heading">下载我的数据</Text>
            <Text className="mydata__text">包含下列全部记录，导出时间 {data.data.exportedAt.slice(0, 10)}。</Text>
            <View className="mydata__actions">
              <Button type="primary" size="large" disabled={busy} onClick={() => void xlsx()} data-testid="mydata-xlsx">
                下载 Excel
              </Button>
              <Button size="large" onClick={() => void json()} data-testid="mydata-json">
                下载 JSON
              </Button>
            </View>
          </View>
          <Sections data={data.data} />
          <Correct
            name={me.data.name}
            contact={me.data.identity.contact ?? ''}
            onSaved={() => void Promise.all([me.reload(), data.reload()])}
          />
          <CloseAccount />
        </View>
      )}
    </PageContainer>
  );
}
