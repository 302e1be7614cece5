import { ScrollView, Text, View } from '@tarojs/components';
import type { PostCategory } from '@pioneer/shared';
import { POST_CATEGORIES } from '@pioneer/shared/src/posts';
import './index.scss';

export type CategoryFilter = PostCategory | 'all';

export interface CategoryChipsProps {
  value: CategoryFilter;
  onChange: (value: CategoryFilter) => void;
}

const OPTIONS: readonly CategoryFilter[] = ['all', ...POST_CATEGORIES];

/** 全部 and the nine post categories in one row that scrolls sideways: large chips without four rows of them. */
export default function CategoryChips({ value, onChange }: CategoryChipsProps) {
  return (
    <ScrollView className="chips" scrollX enhanced showScrollbar={false}>
      <View className="chips__row" role="tablist" aria-label="岗位类别">
        {OPTIONS.map((c) => {
          const active = c === value;
          return (
            <View
              key={c}
              className={`chips__item${active ? ' chips__item--active' : ''}`}
              role="tab"
              aria-selected={active}
              data-testid={`category-${c}`}
              onClick={() => {
                if (!active) onChange(c);
              }}
            >
              <Text>{c === 'all' ? '全部' : c}</Text>
            </View>
          );
        })}
      </View>
    </ScrollView>
  );
}
