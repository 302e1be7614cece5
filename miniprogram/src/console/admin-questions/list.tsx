import { useState } from 'react';
import { useReachBottom } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Question } from '@pioneer/shared';
import { PLATFORM_QUESTION_OWNER, QUESTION_TYPE_LABELS } from '@pioneer/shared/src/quiz';
import LoadMore from '../../components/LoadMore';
import PageContainer from '../../components/PageContainer';
import { usePaged } from '../../hooks/use-paged';
import { listQuestions, type QuestionFilters } from '../../services/api';

export interface QuestionListProps {
  /** Remount (change the key) to search again: paging restarts with the new filters. */
  filters: QuestionFilters;
  /** Questions saved in this session, shown in place of the listed copy. */
  saved: Record<string, Question>;
  selectedId?: string;
  /** Only questions this admin may edit: the platform bank is read-only, and only county admins edit their county's. */
  onPick: (q: Question) => void;
  /** Whether this admin may add questions (the server says, with each page). */
  onCanCreate?: (can: boolean) => void;
}

export default function QuestionList({ filters, saved, selectedId, onPick, onCanCreate }: QuestionListProps) {
  const [total, setTotal] = useState<number>();
  const page = usePaged(async (cursor) => {
    const p = await listQuestions(filters, cursor);
    setTotal(p.total);
    onCanCreate?.(p.canCreate);
    return p;
  });
  useReachBottom(page.loadMore);
  const firstLoad = !page.loaded;

  return (
    <PageContainer
      inline
      loading={page.loading}
      hasData={!firstLoad}
      error={firstLoad ? page.error : undefined}
      onRetry={page.reload}
      empty={page.loaded && page.items.length === 0}
      emptyText="没有符合条件的题目"
    >
      <Text className="aq__total" data-testid="aq-total">
        共 {total ?? 0} 题
      </Text>
      <View className="aq__list">
        {page.items.map((listed) => {
          const q = saved[listed.id] ?? listed;
          return (
            <View
              key={q.id}
              className={`aq__row${q.id === selectedId ? ' aq__row--on' : ''}${q.active ? '' : ' aq__row--off'}${q.editable ? '' : ' aq__row--readonly'}`}
              data-testid="aq-row"
              onClick={() => q.editable && onPick(q)}
            >
              <Text className="aq__stem">{q.stem}</Text>
              <View className="aq__meta">
                <Text className="aq__chip">{QUESTION_TYPE_LABELS[q.type]}</Text>
                <Text className="aq__chip aq__chip--answer">答案 {q.answer.join('')}</Text>
                {!q.active && <Text className="aq__chip aq__chip--off">已停用</Text>}
                {q.owner === PLATFORM_QUESTION_OWNER ? (
                  <Text className="aq__chip aq__chip--platform" data-testid="aq-platform">
                    平台题库
                  </Text>
                ) : (
                  !q.editable && <Text className="aq__chip aq__chip--platform">只读</Text>
                )}
                {q.tags.map((t) => (
                  <Text key={t} className="aq__chip aq__chip--tag">
                    {t}
                  </Text>
                ))}
              </View>
            </View>
          );
        })}
      </View>
      {page.items.length > 0 && <LoadMore page={page} testId="aq-load-more" />}
    </PageContainer>
  );
}
