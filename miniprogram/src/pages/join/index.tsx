import Taro, { useRouter } from '@tarojs/taro';
import PageContainer from '../../components/PageContainer';
import JoinStep from '../../components/JoinStep';
import { useMe } from '../../hooks/use-me';
import { HOME_PAGE } from '../../services/session';

/** Where a branch's join QR leads (…/#/pages/join/index?code=XXXX): the join step with the code filled in. */
export default function JoinPage() {
  const code = useRouter().params.code ?? '';
  const me = useMe();
  const done = () => void Taro.switchTab({ url: HOME_PAGE });
  return (
    <PageContainer loggedIn={me.loggedIn} loading={me.loading} hasData={!!me.data} error={me.error} onRetry={me.reload}>
      <JoinStep initialCode={code} onJoined={done} />
    </PageContainer>
  );
}
