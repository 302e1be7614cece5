import PageContainer from '../../components/PageContainer'
import ComingSoon from '../../components/ComingSoon'

export default function Service() {
  return (
    <PageContainer>
      <ComingSoon
        title='为民服务'
        description='认领身边的公益岗位、帮群众实现微心愿，服务经书记确认后计入积分。'
        features={['认领公益岗位：政策宣讲、帮困助老、环境整治等', '记录服务时长，书记确认后得分', '微心愿：认领并帮助群众圆梦']}
      />
    </PageContainer>
  )
}
