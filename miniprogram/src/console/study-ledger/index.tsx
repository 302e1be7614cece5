import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { monthKey } from '@pioneer/shared/src/time';
import FormSubmit from '../../components/FormSubmit';
import PageContainer from '../../components/PageContainer';
import { useMe } from '../../hooks/use-me';
import { ApiError } from '../../services/api-error';
import { downloadFile } from '../../services/download';
import { studyLedgerUrl } from '../../services/study-api';
import '../../pages/identity/index.scss';
import '../study-articles/index.scss';

/** The month `delta` months from `month` (YYYY-MM). */
export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y!, m! - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * 学习台账: a month's study per member (articles read, videos watched, quizzes done, points from study, study time) as an XLSX
 * file, for the secretary's branch or the admin's subtree (the server decides the scope).
 */
export default function StudyLedgerPage() {
  const me = useMe();
  const manages = !!me.data && (me.data.roles.includes('secretary') || me.data.roles.includes('admin'));
  const [month, setMonth] = useState(() => monthKey(new Date()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      const name = await downloadFile(studyLedgerUrl(month), `study-${month}.xlsx`);
      void Taro.showToast({ title: `已导出 ${name}`, icon: 'none' });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '导出失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <PageContainer
      console="study-ledger"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
    >
      <View className="identity">
        {!manages && <Text className="section__hint">只有支部书记或管理员可以导出学习台账</Text>}
        {manages && (
          <View className="section" data-testid="study-ledger">
            <Text className="section__title">学习台账</Text>
            <Text className="section__hint">
              每名党员当月阅读文章、观看视频、答题次数和学习积分（以已得分记录为准），以及学习时长（分钟，含阅读与观看，按服务器计时）。书记导出本支部，管理员导出本辖区。
            </Text>
            <View className="sa-month">
              <Text className="sa-month__go" onClick={() => setMonth(shiftMonth(month, -1))} data-testid="ledger-prev">
                ‹ 上月
              </Text>
              <Text className="sa-month__label" data-testid="ledger-month">
                {month.replace('-', '年')}月
              </Text>
              <Text className="sa-month__go" onClick={() => setMonth(shiftMonth(month, 1))} data-testid="ledger-next">
                下月 ›
              </Text>
            </View>
            <FormSubmit error={error} disabled={busy} onSubmit={() => void download()} testId="ledger-download">
              导出 Excel
            </FormSubmit>
          </View>
        )}
      </View>
    </PageContainer>
  );
}
