import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Input, Text, View } from '@tarojs/components';
import { STUDY_TOPICS, type StudyTopic } from '@pioneer/shared/src/study';
import { useRequest } from '../../hooks/use-request';
import { getArticles, getVideos, type StudyFilter } from '../../services/study-api';

export const ARTICLE_PAGE = '/pages/article/index';
export const VIDEO_PAGE = '/pages/video/index';

type Kind = 'articles' | 'videos';
const minutes = (s: number) => `约${Math.max(1, Math.round(s / 60))}分钟`;

function Chip(p: { on: boolean; label: string; testId: string; onClick: () => void }) {
  return (
    <Text className={`study__chip${p.on ? ' study__chip--on' : ''}`} data-testid={p.testId} onClick={p.onClick}>
      {p.label}
    </Text>
  );
}

/** Taro passes `detail.value`; a plain DOM event (tests) carries the value on the target. */
function valueOf(e: unknown): string {
  const ev = e as { detail?: { value?: unknown }; target?: { value?: unknown } };
  const v = ev.detail?.value ?? ev.target?.value;
  return typeof v === 'string' ? v : '';
}

/** Title search (applied on 搜索 or the keyboard's confirm) and the 全部 / 收藏 switch. */
function SearchBar(p: { onSearch: (q: string) => void; fav: boolean; onFav: (fav: boolean) => void }) {
  const [text, setText] = useState('');
  return (
    <View className="study__search">
      <Input
        className="study__search-input"
        value={text}
        placeholder="搜索标题"
        maxlength={30}
        confirmType="search"
        // Before onInput: the tests' DOM stand-in keeps one change handler, the last given.
        onConfirm={(e) => p.onSearch(valueOf(e).trim())}
        onInput={(e) => setText(valueOf(e))}
        data-testid="study-search"
      />
      <Text className="study__search-go" onClick={() => p.onSearch(text.trim())} data-testid="study-search-go">
        搜索
      </Text>
      <Chip on={p.fav} label={p.fav ? '★ 收藏' : '☆ 收藏'} testId="study-fav-filter" onClick={() => p.onFav(!p.fav)} />
    </View>
  );
}

interface Row {
  id: string;
  title: string;
  sub: string;
  done: boolean;
  fav: boolean;
  url: string;
  testId: string;
}

function useRows(kind: Kind, filter: StudyFilter, shown: number) {
  const articles = useRequest(() => getArticles(filter), [kind, filter, shown], shown > 0 && kind === 'articles');
  const videos = useRequest(() => getVideos(filter), [kind, filter, shown], shown > 0 && kind === 'videos');
  const list = kind === 'articles' ? articles : videos;
  const rows: Row[] =
    kind === 'articles'
      ? (articles.data?.items ?? []).map((a) => ({
          id: a.id,
          title: a.title,
          sub: `${a.topic} · ${a.orgName} · ${minutes(a.minSeconds)}`,
          done: !!a.read,
          fav: !!a.fav,
          url: `${ARTICLE_PAGE}?id=${a.id}`,
          testId: `study-article-${a.id}`,
        }))
      : (videos.data?.items ?? []).map((v) => ({
          id: v.id,
          title: v.title,
          sub: `${v.topic} · ${v.orgName} · ${v.seconds < 60 ? `${Math.round(v.seconds)}秒` : minutes(v.seconds)}`,
          done: !!v.watched,
          fav: !!v.fav,
          url: `${VIDEO_PAGE}?id=${v.id}`,
          testId: `study-video-${v.id}`,
        }));
  return { rows, loading: list.loading, error: list.error };
}

/** 学习文章 and 学习视频 by topic, newest first, with 已学 and 收藏 marks, searchable by title; a tap opens it. */
export default function Articles({ shown }: { shown: number }) {
  const [kind, setKind] = useState<Kind>('articles');
  const [topic, setTopic] = useState<StudyTopic | null>(null);
  const [q, setQ] = useState('');
  const [fav, setFav] = useState(false);
  const [filter, setFilter] = useState<StudyFilter>({});
  const apply = (next: { topic?: StudyTopic | null; q?: string; fav?: boolean }) => {
    const t = next.topic === undefined ? topic : next.topic;
    const nq = next.q ?? q;
    const nf = next.fav ?? fav;
    setTopic(t);
    setQ(nq);
    setFav(nf);
    setFilter({ topic: t ?? undefined, q: nq || undefined, fav: nf || undefined });
  };
  const list = useRows(kind, filter, shown);
  const empty = fav ? '还没有收藏' : q ? `没有标题含“${q}”的${kind === 'articles' ? '文章' : '视频'}` : '暂无';
  return (
    <View data-testid="study-articles">
      <View className="study__kinds">
        <Chip
          on={kind === 'articles'}
          label="学习文章"
          testId="study-kind-articles"
          onClick={() => setKind('articles')}
        />
        <Chip on={kind === 'videos'} label="学习视频" testId="study-kind-videos" onClick={() => setKind('videos')} />
      </View>
      <SearchBar onSearch={(text) => apply({ q: text })} fav={fav} onFav={(f) => apply({ fav: f })} />
      <View className="study__chips">
        {[null, ...STUDY_TOPICS].map((t) => (
          <Chip
            key={t ?? 'all'}
            on={t === topic}
            label={t ?? '全部'}
            testId={`study-topic-chip-${t ?? 'all'}`}
            onClick={() => apply({ topic: t })}
          />
        ))}
      </View>
      {list.error && <Text className="study__none">{list.error.message}</Text>}
      {!list.loading && !list.error && list.rows.length === 0 && (
        <Text className="study__none" data-testid="study-list-empty">
          {empty}
        </Text>
      )}
      {list.rows.length > 0 && (
        <View className="study__list">
          {list.rows.map((r) => (
            <View
              key={r.id}
              className="study__row study__row--link"
              data-testid={r.testId}
              onClick={() => void Taro.navigateTo({ url: r.url })}
            >
              <View className="study__article-main">
                <Text className="study__row-title">
                  {r.fav ? '★ ' : ''}
                  {r.title}
                </Text>
                <Text className="study__row-sub">{r.sub}</Text>
              </View>
              {r.done && <Text className="study__done">✓ 已学</Text>}
              <Text className="study__arrow">›</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
