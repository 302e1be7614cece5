import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Button } from '@nutui/nutui-react-taro';
import { setFav } from '../../services/study-api';

/** 收藏 / 已收藏 for an article or a video: the server keeps it on the member's reader document. */
export default function FavButton({ itemId, initial }: { itemId: string; initial: boolean }) {
  const [fav, setFavState] = useState(initial);
  const [busy, setBusy] = useState(false);
  useEffect(() => setFavState(initial), [initial]);
  async function toggle() {
    setBusy(true);
    try {
      setFavState((await setFav(itemId, !fav)).fav);
    } catch (e) {
      void Taro.showToast({ title: (e as Error).message || '操作失败', icon: 'none' });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Button size="small" disabled={busy} onClick={() => void toggle()} data-testid="study-fav">
      {fav ? '★ 已收藏' : '☆ 收藏'}
    </Button>
  );
}
