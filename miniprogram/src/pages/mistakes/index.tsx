import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import AnswerReview from '../../components/AnswerReview';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { usePullRefresh } from '../../hooks/use-pull-refresh';
import { useSession } from '../../hooks/use-session';
import { useShowCount } from '../../hooks/use-show-count';
import { getMistakes } from '../../services/api';
import { formatTime } from '../../utils/format';
import { openQuiz } from '../../utils/quiz-nav';
import './index.scss';

/** 错题本: every question I got wrong, with the right answer and why; 练习错题 starts a paper of them. */
export default function Mistakes() {
  const loggedIn = useSession();
  const shown = useShowCount();
  const list = useRequest(getMistakes, [shown], loggedIn && shown > 0);
  usePullRefresh(list.reload);
  const items = list.data?.items;

  return (
    <PageContainer
      className="mistakes"
      loggedIn={loggedIn}
      loading={list.loading}
      hasData={!!items}
      error={list.error}
      onRetry={list.reload}
      empty={items?.length === 0}
      emptyText="暂无错题，继续保持"
    >
      {items && (
        <>
          <Text className="mistakes__count">共 {items.length} 道错题，看看正确答案，再练一练</Text>
          {items.map((m) => (
            <AnswerReview
              key={m.questionId}
              testId="mistake-item"
              type={m.type}
              stem={m.stem}
              options={m.options}
              answer={m.answer}
              explanation={m.explanation}
              note={`答错 ${m.wrongCount} 次 · 最近 ${formatTime(m.lastWrongAt)}`}
            />
          ))}
          <View className="mistakes__bar">
            <Button
              type="primary"
              size="large"
              block
              onClick={() => openQuiz('mistakes')}
              data-testid="mistakes-practice"
            >
              练习错题
            </Button>
          </View>
        </>
      )}
    </PageContainer>
  );
}
