import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { STUDY_TOPICS, type StudyTopic } from '@pioneer/shared/src/study';
import { useRequest } from '../../hooks/use-request';
import { getArticles } from '../../services/study-api';

export const ARTICLE_PAGE = '/pages/article/index';

/** 学习文章 by topic, newest first, with 已学 marks; a tap opens the reader. */
export default function Articles({ shown }: { shown: number }) {
  const [topic, setTopic] = useState<StudyTopic | null>(null);
  const list = useRequest(() => getArticles(topic ?? undefined), [topic, shown], shown > 0);
  const items = list.data?.items ?? [];
  return (
    <View data-testid="study-articles">
      <Text className="study__section">学习文章</Text>
      <View className="study__chips">
        {[null, ...STUDY_TOPICS].map((t) => (
          <Text
            key={t ?? 'all'}
            className={`study__chip${t === topic ? ' study__chip--on' : ''}`}
            data-testid={`study-topic-chip-${t ?? 'all'}`}
            onClick={() => setTopic(t)}
          >
            {t ?? '全部'}
          </Text>
        ))}
      </View>
      {list.error && <Text className="study__none">{list.error.message}</Text>}
      {!list.loading && !list.error && items.length === 0 && <Text className="study__none">暂无文章</Text>}
      {items.length > 0 && (
        <View className="study__list">
          {items.map((a) => (
            <View
              key={a.id}
              className="study__row study__row--link"
              data-testid={`study-article-${a.id}`}
              onClick={() => void Taro.navigateTo({ url: `${ARTICLE_PAGE}?id=${a.id}` })}
            >
              <View className="study__article-main">
                <Text className="study__row-title">{a.title}</Text>
                <Text className="study__row-sub">
                  {a.topic} · {a.orgName} · 约{Math.max(1, Math.round(a.minSeconds / 60))}分钟
                </Text>
              </View>
              {a.read && <Text className="study__done">✓ 已学</Text>}
              <Text className="study__arrow">›</Text>
            </View>
          ))}
        </View>
      )}
    </View>
  );
}
