import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Canvas, Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { JoinPoster } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { decideBindRequest, getBindRequests, makeJoinPoster } from '../../services/roster-api';
import { formatTime } from '../../utils/format';
import { BranchChips, useBranchChoice } from '../org-tree/branch-picker';
import { drawPosterPng, savePng, savePosterToAlbum } from './poster';
import './index.scss';

const failed = (e: unknown) =>
  void Taro.showModal({
    title: '未能完成',
    content: e instanceof ApiError ? e.message : '请稍后重试',
    showCancel: false,
  });

const isWeapp = process.env.TARO_ENV === 'weapp';
/** weapp draws the poster on this hidden canvas before saving it to the album. */
const CANVAS_ID = 'jp-canvas';

/** Saving to the album failed: a refused permission says where to allow it (WeChat asks only once). */
function albumFailed(e: unknown) {
  const msg = (e as { errMsg?: string; message?: string }).errMsg ?? (e as Error).message ?? '';
  if (/cancel/.test(msg)) return;
  void Taro.showModal({
    title: '未能保存',
    content: /auth|deny|denied/.test(msg)
      ? '请允许“保存到相册”：点右上角 ··· → 设置，打开“添加到相册”后再保存'
      : msg || '请稍后重试',
    showCancel: false,
  });
}

/** The branch's join QR poster: one tap makes a month's invite and shows it; saved as a PNG (H5) or to the album (weapp). */
function PosterCard({ orgId }: { orgId: string }) {
  const [poster, setPoster] = useState<JoinPoster>();
  const [busy, setBusy] = useState(false);
  async function make() {
    setBusy(true);
    try {
      setPoster(await makeJoinPoster(orgId));
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  }
  async function save() {
    if (!poster) return;
    if (!isWeapp) return savePng(await drawPosterPng(poster), `入党码-${poster.branchName}.png`);
    try {
      await savePosterToAlbum(poster, CANVAS_ID);
      void Taro.showToast({ title: '已保存到相册', icon: 'success' });
    } catch (e) {
      albumFailed(e);
    }
  }
  return (
    <View className="jp__card">
      <Button type="primary" size="large" block loading={busy} onClick={() => void make()} data-testid="poster-make">
        生成入党码海报
      </Button>
      {poster && (
        <View className="jp__poster" data-testid="poster">
          <Text className="jp__poster-head">扫码加入党支部</Text>
          <Text className="jp__poster-branch">{poster.branchName}</Text>
          <Image className="jp__qr" src={poster.qrPng} mode="aspectFit" data-testid="poster-qr" />
          <Text className="jp__poster-label">邀请码</Text>
          <Text className="jp__poster-code" data-testid="poster-code">
            {poster.code}
          </Text>
          <Text className="jp__poster-exp">有效期至 {formatTime(poster.expiresAt)}</Text>
          <Button size="large" block onClick={() => void save()} data-testid="poster-save">
            {isWeapp ? '保存海报到相册（可打印）' : '保存海报图片（可打印）'}
          </Button>
          {isWeapp && <Canvas type="2d" id={CANVAS_ID} className="jp__canvas" />}
        </View>
      )}
    </View>
  );
}

/** H5 roster bindings waiting for this branch's secretary: confirm only people you know. */
function BindRequests({ orgId }: { orgId: string }) {
  const list = useRequest(() => getBindRequests(orgId), [orgId], true);
  async function decide(id: string, accept: boolean) {
    try {
      await decideBindRequest(orgId, id, accept);
      void Taro.showToast({ title: accept ? '已绑定' : '已拒绝', icon: 'success' });
    } catch (e) {
      failed(e);
    }
    await list.reload();
  }
  const items = list.data ?? [];
  return (
    <View className="jp__card" data-testid="bind-requests">
      <Text className="jp__title">名册绑定申请（网页版）</Text>
      <Text className="jp__hint">网页版无法验证手机号：请确认是本人后再同意。</Text>
      {items.length === 0 && <Text className="jp__hint">暂无待确认的申请</Text>}
      {items.map((r) => (
        <View key={r.id} className="jp__req" data-testid="bind-request">
          <Text className="jp__req-name">
            {r.name} · {r.phone} · {formatTime(r.requestedAt)}
          </Text>
          <View className="jp__req-actions">
            <Button type="primary" onClick={() => void decide(r.id, true)} data-testid="bind-confirm">
              是本人，同意
            </Button>
            <Button onClick={() => void decide(r.id, false)} data-testid="bind-reject">
              拒绝
            </Button>
          </View>
        </View>
      ))}
    </View>
  );
}

/** 入党码 · 绑定确认: a secretary's own branch; an admin picks a branch of their subtree. */
export default function JoinPosterPage() {
  const { me, isAdmin, ownBranch, branches, orgId, orgName, pick } = useBranchChoice();
  return (
    <PageContainer
      console="join-poster"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
      empty={!!me.data && !isAdmin && !ownBranch}
      emptyText="只有支部书记和管理员可以使用"
    >
      <View className="jp">
        {isAdmin && (
          <View className="jp__card">
            <BranchChips
              block="jp"
              branches={branches}
              orgId={orgId}
              onPick={pick}
              filterTestId="jp-branch-filter"
              chipTestId="jp-branch"
            />
          </View>
        )}
        {orgId ? (
          <>
            <Text className="jp__scope">{orgName}</Text>
            <PosterCard key={`p-${orgId}`} orgId={orgId} />
            <BindRequests key={`b-${orgId}`} orgId={orgId} />
          </>
        ) : (
          isAdmin && <Text className="jp__scope">请先选择支部</Text>
        )}
      </View>
    </PageContainer>
  );
}
