import { useEffect, useRef, useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { RichText, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ReadingResult, ReadingSession } from '@pioneer/shared';
import { formatShanghai } from '@pioneer/shared/src/time';
import PageContainer from '../../components/PageContainer';
import { useCareMode } from '../../hooks/use-care-mode';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { completeReading, getArticle } from '../../services/study-api';
import { queryValue } from '../../utils/quiz-nav';
import FavButton from '../study/fav-button';
import FinishCard from '../study/finish-card';
import { readAloud } from './listen';
import { useReading } from './use-reading';
import './index.scss';

function resultText(r: ReadingResult): string {
  if (r.awarded > 0) return `读完了，+${r.awarded} 积分，已计入今日学习`;
  if (r.unpaid === 'daily_cap') return '读完了。今日阅读积分已满，明天再读本文仍可得分';
  return '读完了。本文已学过，不重复计分';
}

function clockText(session: ReadingSession | null, seconds: number, visible: boolean): string {
  // Once completed, the time the server counted; before, the page's own count against the minimum.
  if (session?.completed) return `本次计时 ${session.activeSeconds} 秒`;
  if (!visible) return '已暂停计时';
  const min = session?.minSeconds ?? 0;
  return seconds < min ? `已读 ${seconds} 秒，至少需 ${min} 秒` : `已读 ${seconds} 秒`;
}

/**
 * 学习文章: the sanitized body (<RichText> in WeChat and in H5), a reading session on the server while the page is in
 * front, and 读完了 at the end of the text: the server pays only when its own clock shows the article's minimum.
 * 听文章 reads it aloud (big at the top in 关怀模式); listening to the end counts as reaching the end.
 */
export default function ArticlePage() {
  const id = queryValue(useRouter().params.id) ?? '';
  const loggedIn = useSession();
  const care = useCareMode();
  const article = useRequest(() => getArticle(id), [id], loggedIn && !!id);
  const a = article.data;
  const { session, setSession, seconds, visible } = useReading(id, !!a);
  const [heardToEnd, setHeardToEnd] = useState(false);
  const stopVoice = useRef<(() => void) | null>(null);
  useEffect(() => () => stopVoice.current?.(), []);

  const listen = () => {
    stopVoice.current?.();
    stopVoice.current = a ? readAloud(a.body, () => setHeardToEnd(true)) : null;
  };
  const left = Math.max(0, (session?.minSeconds ?? 0) - seconds);

  return (
    <PageContainer
      loggedIn={loggedIn}
      loading={article.loading}
      hasData={!!a}
      error={article.error}
      onRetry={article.reload}
    >
      {a && (
        <View className={`article${care ? ' article--care' : ''}`}>
          <View className="article__card">
            <Text className="article__title" data-testid="article-title">
              {a.title}
            </Text>
            <Text className="article__meta">
              {a.topic} · {a.source || a.orgName} · {formatShanghai(a.publishedAt, 'YYYY年M月D日')}
            </Text>
            <View className="article__bar">
              <Text className="article__clock" data-testid="article-clock">
                {clockText(session, seconds, visible)}
              </Text>
              <View className="article__actions">
                <FavButton itemId={a.id} initial={!!a.fav} />
                <Button size={care ? 'large' : 'small'} onClick={listen} data-testid="article-listen">
                  听文章
                </Button>
              </View>
            </View>
          </View>
          <View className="article__body" data-testid="article-body">
            <RichText nodes={a.body} />
          </View>
          <FinishCard
            block="article"
            testId="article"
            verb="读完了"
            secondsLeft={left}
            session={session}
            // The button sits after the last line: pressing it is reaching the end (or the voice got there).
            complete={(sessionId) => completeReading(sessionId, true)}
            onSession={setSession}
            resultText={resultText}
            learned={a.read ? '✓ 已学过本文' : null}
          >
            {heardToEnd && <Text className="article__hint">已听完全文</Text>}
          </FinishCard>
        </View>
      )}
    </PageContainer>
  );
}
