import { Button } from '@nutui/nutui-react-taro';
import WishCard from '../../components/WishCard';
import { usePaged } from '../../hooks/use-paged';
import { listWishes } from '../../services/api';
import { go, wishEditUrl } from '../../utils/service-nav';
import ManagedTab from './managed-tab';

/** The wishes I entered (residents' names and contacts in full, for me only); edit or close them. */
export default function WishesAdminTab() {
  const wishes = usePaged((cursor) => listWishes({ managed: 'true' }, cursor));
  return (
    <ManagedTab
      newLabel="登记心愿"
      newTestId="sa-new-wish"
      onNew={() => go(wishEditUrl())}
      list={wishes}
      emptyText="还没有登记微心愿"
    >
      {(w) => (
        <WishCard key={w.id} wish={w}>
          {(w.status === 'open' || w.status === 'claimed' || w.status === 'closed') && (
            <Button size="large" onClick={() => go(wishEditUrl(w.id))} data-testid="sa-wish-edit">
              编辑
            </Button>
          )}
        </WishCard>
      )}
    </ManagedTab>
  );
}
