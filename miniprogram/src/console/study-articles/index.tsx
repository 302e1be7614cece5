import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { AdminArticleRow, AdminVideoRow } from '@pioneer/shared';
import PageContainer from '../../components/PageContainer';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { getAdminArticles, getAdminVideos } from '../../services/study-api';
import PublishForm from './publish-form';
import VideoForm from './video-form';
import '../../pages/identity/index.scss';
import './index.scss';

const percent = (x: number) => `${Math.round(x * 100)}%`;

function Row({ a }: { a: AdminArticleRow }) {
  return (
    <View className="section sa-row" data-testid={`sa-row-${a.id}`}>
      <Text className="section__title">{a.title}</Text>
      <Text className="section__hint">
        {a.topic} · {a.orgName} · 最短 {a.minSeconds} 秒{a.minSecondsSet === null ? '（按字数）' : ''}
      </Text>
      <View className="sa-stats">
        <Text className="sa-stat" data-testid="sa-opens">
          阅读 {a.opens} 次
        </Text>
        <Text className="sa-stat" data-testid="sa-rate">
          完成率 {percent(a.completionRate)}
        </Text>
        <Text className="sa-stat" data-testid="sa-average">
          平均 {a.averageSeconds} 秒
        </Text>
      </View>
    </View>
  );
}

function VideoRow({ v }: { v: AdminVideoRow }) {
  return (
    <View className="section sa-row" data-testid={`sv-row-${v.id}`}>
      <Text className="section__title">▶ {v.title}</Text>
      <Text className="section__hint">
        {v.topic} · {v.orgName} · 时长 {Math.round(v.seconds)} 秒
      </Text>
      <View className="sa-stats">
        <Text className="sa-stat">观看 {v.opens} 次</Text>
        <Text className="sa-stat">完成率 {percent(v.completionRate)}</Text>
        <Text className="sa-stat">平均 {v.averageSeconds} 秒</Text>
      </View>
    </View>
  );
}

/** 学习文章 (console): the admin's articles with reads, completion rate and average time, and publishing. */
export default function StudyArticlesPage() {
  const me = useMe();
  const isAdmin = me.data?.roles.includes('admin') ?? false;
  const [tick, setTick] = useState(0);
  const list = useRequest(getAdminArticles, [tick], isAdmin);
  const videos = useRequest(getAdminVideos, [tick], isAdmin);
  const orgId = me.data?.adminOrg?.id ?? null;
  return (
    <PageContainer
      console="study-articles"
      loggedIn={me.loggedIn}
      loading={me.loading}
      hasData={!!me.data}
      error={me.error}
      onRetry={me.reload}
    >
      <View className="identity">
        {!isAdmin && <Text className="section__hint">只有管理员可以发布和查看学习文章统计</Text>}
        {isAdmin && orgId && <PublishForm orgId={orgId} onDone={() => setTick((n) => n + 1)} />}
        {list.error && <Text className="form-error">{list.error.message}</Text>}
        {(list.data?.items ?? []).map((a) => (
          <Row key={a.id} a={a} />
        ))}
        {list.data && list.data.items.length === 0 && <Text className="section__hint">还没有文章</Text>}
        {isAdmin && orgId && <VideoForm orgId={orgId} onDone={() => setTick((n) => n + 1)} />}
        {videos.error && <Text className="form-error">{videos.error.message}</Text>}
        {(videos.data?.items ?? []).map((v) => (
          <VideoRow key={v.id} v={v} />
        ))}
      </View>
    </PageContainer>
  );
}
