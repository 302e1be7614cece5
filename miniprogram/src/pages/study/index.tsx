import PageContainer from '../../components/PageContainer'
import ComingSoon from '../../components/ComingSoon'

export default function Study() {
  return (
    <PageContainer>
      <ComingSoon
        title='学习答题'
        description='每天花几分钟学党章、学政策，答对就能得积分。'
        features={['每日答题：5道题，答对1题得1分', '每周答题与专项答题', '挑战答题：连续答对赢积分', '错题本：答错的题随时再练']}
      />
    </PageContainer>
  )
}
