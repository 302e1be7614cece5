import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import PageContainer from '../../components/PageContainer';
import { useMe } from '../../hooks/use-me';
import { useShowCount } from '../../hooks/use-show-count';
import { MyCard } from './card';
import { MyCommitment } from './commitment';
import { Wall } from './wall';
import './index.scss';

/** 亮身份 · 亮职责 · 亮承诺: my card, my commitment for the year, the wall; secretaries reach the review queue. */
export default function Identity() {
  const me = useMe();
  const shown = useShowCount();
  const year = new Date().getFullYear();
  const manages = !!me.data && (me.data.roles.includes('secretary') || me.data.roles.includes('admin'));
  return (
    <PageContainer loggedIn={me.loggedIn} loading={me.loading} hasData={!!me.data} error={me.error} onRetry={me.reload}>
      {me.data && (
        <View className="identity">
          <MyCard key={JSON.stringify(me.data.identity)} me={me.data} onSaved={() => void me.reload()} />
          {manages && (
            <View className="section">
              <Text className="section__hint">书记（管理员）：审核本支部党员的承诺，年底评诺。</Text>
              <Button
                type="primary"
                size="large"
                block
                onClick={() => void Taro.navigateTo({ url: '/console/commitment-review/index' })}
                data-testid="open-commit-review"
              >
                承诺审核与评诺
              </Button>
            </View>
          )}
          {me.data.org ? (
            <MyCommitment year={year} shown={shown} />
          ) : (
            <Text className="section__hint">加入党支部后即可填写年度承诺。</Text>
          )}
          <Wall me={me.data} year={year} />
        </View>
      )}
    </PageContainer>
  );
}
