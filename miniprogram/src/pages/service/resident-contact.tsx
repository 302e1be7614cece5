import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { request } from '../../services/request';
import { ApiError } from '../../services/api-error';

interface ResidentContactReply {
  wishId: string;
  residentName: string;
  residentContact: string | null;
}

/** The resident's name and number in full, for the one member who claimed the wish (each look is recorded). */
export const getResidentContact = (wishId: string) =>
  request<ResidentContactReply>({ path: `/wishes/${encodeURIComponent(wishId)}/contact`, quiet: true });

/** WeChat dials through its own sheet; a phone browser opens the dialler for a tel: address. */
export function callPhone(phone: string): void {
  if (process.env.TARO_ENV === 'weapp') void Taro.makePhoneCall({ phoneNumber: phone });
  else window.location.href = `tel:${phone}`;
}

/**
 * 联系群众 on a wish I claimed: the number is fetched only when I ask (the look is an audit line), with a big 拨打
 * button. Everyone else sees the name masked and no number, and the card says so.
 */
export default function ResidentContact({ wishId }: { wishId: string }) {
  const [shown, setShown] = useState<ResidentContactReply | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string>();

  const reveal = async () => {
    setBusy(true);
    setFailed(undefined);
    try {
      setShown(await getResidentContact(wishId));
    } catch (e) {
      setFailed(e instanceof ApiError ? e.message : '暂时查看不了联系方式，请稍后再试');
    } finally {
      setBusy(false);
    }
  };

  if (!shown) {
    return (
      <View className="wish-contact" data-testid="wish-contact">
        <Text className="wish-contact__note">
          您认领了这个心愿，可以查看群众的联系方式（仅您和书记可见，查看会留下记录）。
        </Text>
        {failed && <Text className="wish-contact__failed">{failed}</Text>}
        <Button size="large" block loading={busy} onClick={() => void reveal()} data-testid="wish-contact-show">
          查看联系方式
        </Button>
      </View>
    );
  }
  return (
    <View className="wish-contact" data-testid="wish-contact">
      <Text className="wish-contact__name" data-testid="wish-contact-name">{`群众：${shown.residentName}`}</Text>
      {shown.residentContact ? (
        <>
          <Text className="wish-contact__phone" data-testid="wish-contact-phone">
            {shown.residentContact}
          </Text>
          <Button
            type="primary"
            size="large"
            block
            onClick={() => callPhone(shown.residentContact!)}
            data-testid="wish-contact-call"
          >
            拨打电话
          </Button>
        </>
      ) : (
        <Text className="wish-contact__note">书记没有登记联系电话，可以请书记帮忙联系。</Text>
      )}
    </View>
  );
}
