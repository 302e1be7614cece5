import { useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { IdentityCard, Me } from '@pioneer/shared';
import PhotoPicker from '../../components/PhotoPicker';
import TextField from '../../components/TextField';
import { ApiError } from '../../services/api-error';
import { patchMe } from '../../services/api';
import { mediaUrl } from '../../services/media';

/** The card's badge: 共产党员 only for a member of a branch; someone who has not joined one is not labelled a member. */
export const badgeOf = (card: IdentityCard): string | null => card.badge ?? (card.branch ? '共产党员' : null);

/** A member's 亮身份 card: photo, name, branch, 党龄, duty, (masked) contact, badge. */
export function CardView({ card, testId = 'identity-card' }: { card: IdentityCard; testId?: string }) {
  return (
    <View className="idcard" data-testid={testId}>
      {card.photoUrl ? (
        <Image className="idcard__photo" src={mediaUrl(card.photoUrl)} mode="aspectFill" />
      ) : (
        <View className="idcard__photo idcard__photo--empty">
          <Text>{card.name.slice(0, 1)}</Text>
        </View>
      )}
      <View className="idcard__body">
        <View className="idcard__head">
          <Text className="idcard__name">{card.name}</Text>
          {badgeOf(card) && <Text className="idcard__badge">{badgeOf(card)}</Text>}
        </View>
        {card.branch && <Text className="idcard__line">{card.branch}</Text>}
        {card.partySince && <Text className="idcard__line">{`${card.partySince}年入党`}</Text>}
        {card.dutyTitle && (
          <Text className="idcard__line" data-testid={`${testId}-duty`}>{`职责：${card.dutyTitle}`}</Text>
        )}
        {card.contact && (
          <Text className="idcard__line" data-testid={`${testId}-contact`}>{`联系：${card.contact}`}</Text>
        )}
      </View>
    </View>
  );
}

export function cardOfMe(me: Me): IdentityCard {
  return { userId: me.id, name: me.name, branch: me.org?.name ?? null, ...me.identity };
}

/** My own card (contact in full: only I see this) with an edit form. */
export function MyCard({ me, onSaved }: { me: Me; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [duty, setDuty] = useState(me.identity.dutyTitle ?? '');
  const [since, setSince] = useState(me.identity.partySince ? String(me.identity.partySince) : '');
  const [contact, setContact] = useState(me.identity.contact ?? '');
  const [photos, setPhotos] = useState<string[]>(me.identity.photoUrl ? [me.identity.photoUrl] : []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function save() {
    const year = since.trim() ? Number(since.trim()) : undefined;
    if (year !== undefined && !Number.isInteger(year)) return setError('入党年份请填写4位数字');
    setBusy(true);
    setError('');
    try {
      await patchMe({
        identity: { dutyTitle: duty.trim(), partySince: year, contact: contact.trim(), photoUrl: photos[0] ?? '' },
      });
      setEditing(false);
      onSaved();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  if (!editing) {
    return (
      <View className="section">
        <CardView card={cardOfMe(me)} testId="my-card" />
        <Button size="large" block onClick={() => setEditing(true)} data-testid="card-edit">
          编辑身份卡
        </Button>
      </View>
    );
  }
  return (
    <View className="section section--form" data-testid="card-form">
      <TextField
        label="岗位职责（如 网格员、党员中心户）"
        value={duty}
        onChange={setDuty}
        maxLength={30}
        testId="card-duty"
      />
      <TextField
        label="入党年份"
        type="number"
        value={since}
        onChange={setSince}
        maxLength={4}
        placeholder="例如 1998"
        testId="card-since"
      />
      <TextField
        label="联系电话（他人只看到打码后的号码）"
        value={contact}
        onChange={setContact}
        maxLength={11}
        testId="card-contact"
      />
      <PhotoPicker label="身份照片" value={photos} onChange={setPhotos} max={1} testId="card-photo" />
      {error && <Text className="form-error">{error}</Text>}
      <View className="actions">
        <Button size="large" block disabled={busy} onClick={() => setEditing(false)}>
          取消
        </Button>
        <Button type="primary" size="large" block disabled={busy} onClick={() => void save()} data-testid="card-save">
          保存
        </Button>
      </View>
    </View>
  );
}
