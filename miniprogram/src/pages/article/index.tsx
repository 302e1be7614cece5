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
import { ApiError } from '../../services/api-error';
import { completeReading, getArticle } from '../../services/study-api';
import { queryValue } from '../../utils/quiz-nav';
import FavButton from '../study/fav-button';
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
  const [result, setResult] = useState<ReadingResult | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const stopVoice = useRef<(() => void) | null>(null);
  useEffect(() => () => stopVoice.current?.(), []);

  async function finish() {
    if (!session) return;
    setBusy(true);
    setRefusal(null);
    try {
      // The button sits after the last line: pressing it is reaching the end (or the voice got there).
      const r = await completeReading(session.id, true);
      setResult(r);
      setSession(r.session);
    } catch (e) {
      setRefusal(e instanceof ApiError ? e.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  }

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
          <View className="article__end" data-testid="article-end">
            {heardToEnd && <Text className="article__hint">已听完全文</Text>}
            {result ? (
              <Text className="article__result" data-testid="article-result">
                {resultText(result)}
              </Text>
            ) : (
              <Button
                type="primary"
                size="xlarge"
                block
                disabled={busy || !session}
                onClick={() => void finish()}
                data-testid="article-finish"
              >
                {left > 0 ? `读完了（还需约 ${left} 秒）` : '读完了'}
              </Button>
            )}
            {refusal && (
              <Text className="article__refusal" data-testid="article-refused">
                {refusal}
              </Text>
            )}
            {a.read && !result && <Text className="article__hint">✓ 已学过本文</Text>}
          </View>
        </View>
      )}
    </PageContainer>
  );
}
