import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import TextField from '../../components/TextField';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { downloadFile } from '../../services/download';
import {
  closeReview,
  getPendingGrades,
  getReview,
  getReviewResults,
  openReview,
  reviewXlsxUrl,
} from '../../services/reviews-api';
import { PendingCard, ResultRow } from './parts';
import { RectifySection } from './rectify';
import { BranchPicker, OverdueAcross, OverdueList, ShareSetting, ToCloseList } from './admin';
import '../../pages/identity/index.scss';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');
const thisYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();
/** No round yet is a 404: that is "open one", not an error. */
const orNull = async <T,>(p: Promise<T>) =>
  p.catch((e: unknown) => {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  });

function Branch({ branchId, meId }: { branchId: string; meId: string }) {
  const year = thisYear();
  const [tick, setTick] = useState(0);
  const [days, setDays] = useState('7');
  const [busy, setBusy] = useState(false);
  const round = useRequest(() => orNull(getReview(branchId, year)), [tick], true);
  const closed = round.data?.closed === true;
  const results = useRequest(() => getReviewResults(branchId, year), [tick, closed], closed);
  const reload = () => setTick((n) => n + 1);
  async function act(what: () => Promise<unknown>, done: string) {
    setBusy(true);
    try {
      await what();
      void Taro.showToast({ title: done, icon: 'none' });
      reload();
    } catch (e) {
      void Taro.showToast({ title: message(e), icon: 'none' });
    } finally {
      setBusy(false);
    }
  }
  const start = () =>
    act(
      () =>
        openReview({
          year,
          closesAt: new Date(Date.now() + Math.max(1, Number(days) || 7) * 86_400_000).toISOString(),
        }),
      '已开启评议',
    );
  const exportXlsx = () => act(() => downloadFile(reviewXlsxUrl(branchId, year), `review-${year}.xlsx`), '已导出');
  const r = round.data;
  return (
    <View>
      <View className="section">
        <Text className="section__title" data-testid="round-title">
          {year}年度民主评议
        </Text>
        {!round.loading && !r && (
          <View>
            <Text className="section__hint">尚未开启。开启后，本支部每位党员对全体党员（含本人）进行无记名评议。</Text>
            <TextField label="投票天数" type="number" value={days} onChange={setDays} testId="round-days" />
            <Button
              type="primary"
              size="large"
              block
              disabled={busy}
              onClick={() => void start()}
              data-testid="round-open"
            >
              开启评议
            </Button>
          </View>
        )}
        {r && (
          <Text className="section__hint" data-testid="round-status">
            {r.closed ? '投票已结束' : `投票中，截止 ${formatShanghai(r.closesAt, 'YYYY-MM-DD HH:mm')}`} · 应参评
            {r.members.length}人 · 已投票{r.voterCount}人
          </Text>
        )}
        {r && !r.closed && (
          <Button
            size="large"
            block
            disabled={busy}
            onClick={() => void act(() => closeReview(branchId, year), '投票已结束')}
            data-testid="round-close"
          >
            结束投票
          </Button>
        )}
        {r && r.closed && (
          <Button size="large" block disabled={busy} onClick={() => void exportXlsx()} data-testid="round-export">
            导出评议结果（Excel）
          </Button>
        )}
      </View>
      {results.error && <Text className="form-error">{results.error.message}</Text>}
      {results.data && (
        <View>
          <View className="section">
            {results.data.withheld && (
              <Text className="section__hint" data-testid="results-withheld">
                {results.data.withheld}
              </Text>
            )}
            <Text className="section__hint" data-testid="results-cap">
              优秀等次不超过{Math.round(results.data.excellentShare * 100)}%（最多{results.data.excellentCap}
              人）；不合格须填写理由，报乡镇党委确认
            </Text>
          </View>
          {results.data.rows.map((row, i) => (
            <ResultRow
              key={row.member.id}
              row={row}
              index={i}
              branchId={branchId}
              year={year}
              self={row.member.id === meId}
              onSaved={reload}
            />
          ))}
        </View>
      )}
      <OverdueList branchId={branchId} />
      {!round.loading && <RectifySection branchId={branchId} year={year} members={r?.members ?? []} />}
    </View>
  );
}

function Pending() {
  const [tick, setTick] = useState(0);
  const pending = useRequest(() => getPendingGrades(), [tick], true);
  const items = pending.data?.items ?? [];
  return (
    <View className="section">
      <Text className="section__title">待确认的不合格等次</Text>
      {items.length === 0 && (
        <Text className="section__hint" data-testid="pending-empty">
          没有待确认的不合格等次
        </Text>
      )}
      {items.map((it) => (
        <PendingCard key={`${it.branchId}|${it.member.id}`} item={it} onDone={() => setTick((n) => n + 1)} />
      ))}
    </View>
  );
}

/**
 * 民主评议管理: the secretary opens and closes the branch's round, reads counts and sets grades, sees overdue 整改
 * items; admins confirm 不合格, close branch items (销号), grade a branch's secretary, and the county sets the 优秀 share.
 */
export default function ReviewManagePage() {
  const me = useMe();
  const roles = me.data?.roles ?? [];
  const secretaryOf = roles.includes('secretary') ? (me.data?.org?.id ?? null) : null;
  const isAdmin = roles.includes('admin');
  const [picked, setPicked] = useState('');
  return (
    <PageContainer
      console="review-manage"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
    >
      <View className="identity">
        {!secretaryOf && !isAdmin && <Text className="section__hint">只有支部书记和上级管理员可以管理民主评议</Text>}
        {secretaryOf && me.data && <Branch branchId={secretaryOf} meId={me.data.id} />}
        {isAdmin && <Pending />}
        {isAdmin && <ToCloseList />}
        {isAdmin && <OverdueAcross />}
        {isAdmin && me.data?.adminOrg?.type === 'county' && <ShareSetting />}
        {isAdmin && me.data?.adminOrg && (
          <BranchPicker rootId={me.data.adminOrg.id} value={picked} onChange={setPicked} />
        )}
        {isAdmin && picked && me.data && <Branch key={picked} branchId={picked} meId={me.data.id} />}
      </View>
    </PageContainer>
  );
}
