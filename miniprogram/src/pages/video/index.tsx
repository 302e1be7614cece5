import { useRouter } from '@tarojs/taro';
import { Text, Video, View } from '@tarojs/components';
import type { WatchResult, WatchSession } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import { useCareMode } from '../../hooks/use-care-mode';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { mediaUrl } from '../../services/media';
import { completeWatch, getVideo } from '../../services/study-api';
import { queryValue } from '../../utils/quiz-nav';
import FavButton from '../study/fav-button';
import FinishCard from '../study/finish-card';
import { useWatch } from './use-watch';
import './index.scss';

function resultText(r: WatchResult): string {
  if (r.awarded > 0) return `看完了，+${r.awarded} 积分，已计入今日学习`;
  if (r.unpaid === 'daily_cap') return '看完了。今日观看积分已满，明天再看本视频仍可得分';
  return '看完了。本视频已学过，不重复计分';
}

function clockText(s: WatchSession | null, visible: boolean): string {
  if (!s) return '';
  if (s.completed) return `本次计时 ${s.watchedSeconds} 秒`;
  if (!visible) return '已暂停计时';
  return `已观看 ${s.watchedSeconds} 秒，至少需 ${s.needSeconds} 秒`;
}

/**
 * 学习视频: WeChat's <video> (Taro's Video; a <video> element in H5) streaming the file in byte ranges from a signed
 * address; a watching on the server beats while it plays in front. 看完了 pays only when the server's clock shows
 * 80% of the duration watched: skipping ahead or leaving the page open in the background claims nothing.
 */
export default function VideoPage() {
  const id = queryValue(useRouter().params.id) ?? '';
  const loggedIn = useSession();
  const care = useCareMode();
  const video = useRequest(() => getVideo(id), [id], loggedIn && !!id);
  const v = video.data;
  const w = useWatch(id, !!v);

  const left = w.session ? Math.max(0, w.session.needSeconds - w.session.watchedSeconds) : 0;
  return (
    <PageContainer loggedIn={loggedIn} loading={video.loading} hasData={!!v} error={video.error} onRetry={video.reload}>
      {v && (
        <View className={`video-page${care ? ' video-page--care' : ''}`}>
          {/* Taro's H5 video fills its nearest positioned ancestor (position: absolute, 100%): this frame sizes it. */}
          <View className="video-page__frame">
            <Video
              id="study-video"
              className="video-page__player"
              src={mediaUrl(v.src)}
              poster={v.poster ? mediaUrl(v.poster) : undefined}
              controls
              showCenterPlayBtn
              objectFit="contain"
              onPlay={() => w.setPlaying(true)}
              onPause={() => w.setPlaying(false)}
              onEnded={() => w.setPlaying(false)}
              onTimeUpdate={(e) => w.setPosition(e.detail.currentTime)}
              data-testid="video-player"
            />
          </View>
          <View className="video-page__card">
            <Text className="video-page__title" data-testid="video-title">
              {v.title}
            </Text>
            <Text className="video-page__meta">
              {v.topic} · {v.source || v.orgName} · {Math.round(v.seconds)} 秒 ·{' '}
              {formatShanghai(v.publishedAt, 'YYYY年M月D日')}
            </Text>
            <View className="video-page__bar">
              <Text className="video-page__clock" data-testid="video-clock">
                {clockText(w.session, w.visible)}
              </Text>
              <FavButton itemId={v.id} initial={!!v.fav} />
            </View>
          </View>
          <FinishCard
            block="video-page"
            testId="video"
            verb="看完了"
            secondsLeft={left}
            session={w.session}
            complete={completeWatch}
            onSession={w.setSession}
            resultText={resultText}
            learned={v.watched ? '✓ 已学过本视频' : null}
          />
        </View>
      )}
    </PageContainer>
  );
}
