import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { Button } from '@nutui/nutui-react-taro'
import PageContainer from '../../components/PageContainer'
import { useMe } from '../../hooks/use-me'
import { clearToken, goToLogin } from '../../services/session'
import { orgPathText, PERIOD_LABELS, PERIODS, roleLabels } from '../../utils/format'
import './index.scss'

const LINKS = [
  { testId: 'link-points-history', title: '积分明细', url: '/pages/points-history/index' },
  { testId: 'link-leaderboard', title: '积分排行', url: '/pages/leaderboard/index' },
] as const

const ADMIN_QUESTIONS_PAGE = '/pages/admin-questions/index'

async function logout() {
  const { confirm } = await Taro.showModal({ title: '退出登录', content: '确定要退出登录吗？', confirmColor: '#C8161D' })
  if (!confirm) return
  clearToken()
  goToLogin()
}

export default function Mine() {
  const me = useMe()
  const m = me.data
  return (
    <PageContainer loggedIn={me.loggedIn} loading={me.loading} hasData={!!m} error={me.error} onRetry={me.reload}>
      {m && (
        <>
          <View className='mine__card' data-testid='mine-card'>
            <View className='mine__avatar'>
              <Text>{Array.from(m.name)[0] ?? '党'}</Text>
            </View>
            <View className='mine__who'>
              <Text className='mine__name'>{m.name}</Text>
              <Text className='mine__org'>{m.org ? orgPathText(m) : '尚未加入党支部'}</Text>
              <View className='mine__roles'>
                {roleLabels(m.roles).map((r) => (
                  <Text key={r} className='mine__role'>
                    {r}
                  </Text>
                ))}
              </View>
            </View>
          </View>

          <View className='mine__points'>
            {PERIODS.map((p) => (
              <View key={p} className='mine__point' data-testid={`mine-points-${p}`}>
                <Text className='mine__point-num'>{m.points[p]}</Text>
                <Text className='mine__point-label'>{PERIOD_LABELS[p]}</Text>
              </View>
            ))}
          </View>

          <View className='mine__links'>
            {LINKS.map((l) => (
              <View key={l.url} className='mine__link' data-testid={l.testId} onClick={() => void Taro.navigateTo({ url: l.url })}>
                <Text>{l.title}</Text>
                <Text className='mine__arrow'>›</Text>
              </View>
            ))}
            {m.roles.includes('admin') && (
              <View className='mine__link' data-testid='link-admin-questions' onClick={() => void Taro.navigateTo({ url: ADMIN_QUESTIONS_PAGE })}>
                <Text>题库管理</Text>
                <Text className='mine__arrow'>›</Text>
              </View>
            )}
          </View>

          <View className='mine__logout'>
            <Button size='large' block onClick={logout} data-testid='logout'>
              退出登录
            </Button>
          </View>
        </>
      )}
    </PageContainer>
  )
}
