import PageContainer from '../../components/PageContainer'
import ComingSoon from '../../components/ComingSoon'

export default function Identity() {
  return (
    <PageContainer>
      <ComingSoon
        title='亮身份 · 亮职责 · 亮承诺'
        description='亮出党员身份和岗位职责，年初公开承诺，年中记录践诺，年底接受评诺。'
        features={['党员身份卡：支部、党龄、岗位职责', '填写年度承诺，书记审核后上墙', '记录践诺进展，支部承诺墙公开展示']}
      />
    </PageContainer>
  )
}
