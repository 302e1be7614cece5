import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ReviewMember } from '@pioneer/shared';
import { TALK_SUMMARY_MAX } from '@pioneer/shared/src/schemas/life-meeting';
import { formatShanghai } from '@pioneer/shared/src/time';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { downloadFile } from '../../services/download';
import { getTalks, recordTalk, talksXlsxUrl } from '../../services/life-api';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');

/** 谈心谈话 register: record a talk (talker, talkee, date, gist), the list, who had none this year, Excel. */
export function TalksSection({
  branchId,
  year,
  members,
  meId,
}: {
  branchId: string;
  year: number;
  members: ReviewMember[];
  meId: string;
}) {
  const [tick, setTick] = useState(0);
  const register = useRequest(() => getTalks(branchId, year), [tick], true);
  const [talker, setTalker] = useState(members.some((m) => m.id === meId) ? meId : (members[0]?.id ?? ''));
  const [talkee, setTalkee] = useState('');
  const [date, setDate] = useState(formatShanghai(new Date(), 'YYYY-MM-DD'));
  const [summary, setSummary] = useState('');
  const [error, setError] = useState('');
  async function save() {
    if (!talkee) return setError('请选择谈话对象');
    if (talkee === talker) return setError('谈话双方不能是同一人');
    if (!summary.trim()) return setError('请填写谈话要点');
    setError('');
    try {
      await recordTalk(branchId, year, { talkerId: talker, talkeeId: talkee, date, summary: summary.trim() });
      setSummary('');
      setTalkee('');
      setTick((n) => n + 1);
    } catch (e) {
      setError(message(e));
    }
  }
  async function exportXlsx() {
    try {
      await downloadFile(talksXlsxUrl(branchId, year), `talks-${year}.xlsx`);
    } catch (e) {
      void Taro.showToast({ title: message(e), icon: 'none' });
    }
  }
  const options = (prefix: string) => members.map((m) => ({ value: m.id, label: m.name, testId: `${prefix}-${m.id}` }));
  const talks = register.data?.talks ?? [];
  const missing = register.data?.missing ?? [];
  return (
    <View>
      <View className="section">
        <Text className="section__title">谈心谈话记录</Text>
        <Text className="section__hint" data-testid="talks-missing">
          {missing.length === 0
            ? `共${talks.length}次谈话，每位党员都已谈话`
            : `共${talks.length}次谈话；尚未谈话${missing.length}人：${missing.map((m) => m.name).join('、')}`}
        </Text>
        <View className="field">
          <Text className="field__label">谈话人</Text>
          <Segmented label="谈话人" value={talker} onChange={setTalker} options={options('talker')} />
        </View>
        <View className="field">
          <Text className="field__label">谈话对象</Text>
          <Segmented label="谈话对象" value={talkee} onChange={setTalkee} options={options('talkee')} />
        </View>
        <TextField label="谈话日期" value={date} onChange={setDate} testId="talk-date" />
        <TextField
          label="谈话要点"
          value={summary}
          onChange={setSummary}
          maxLength={TALK_SUMMARY_MAX}
          multiline
          testId="talk-summary"
        />
        {error && (
          <Text className="form-error" data-testid="talk-error">
            {error}
          </Text>
        )}
        <Button type="primary" size="large" block onClick={() => void save()} data-testid="talk-save">
          登记谈话
        </Button>
        {talks.length > 0 && (
          <Button size="large" block onClick={() => void exportXlsx()} data-testid="talks-export">
            导出谈心谈话记录（Excel）
          </Button>
        )}
      </View>
      {talks.map((t) => (
        <View className="section" key={t.n} data-testid="talk-row">
          <Text className="section__title">
            {t.date} · {t.talker.name} 与 {t.talkee.name}
          </Text>
          <Text className="section__hint">{t.summary}</Text>
        </View>
      ))}
    </View>
  );
}
