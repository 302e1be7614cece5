import { useState } from 'react';
import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Activity } from '@pioneer/shared';
import { ACTIVITY_RULES } from '@pioneer/shared/src/activities';
import PhotoPicker from '../../components/PhotoPicker';
import TextField from '../../components/TextField';
import { putActivityMinutes } from '../../services/api';
import type { Run } from './attendance-list';

/** 会议纪要 with photos; what is typed stays until saved, what was saved comes back from the activity. */
export default function MinutesCard({ a, busy, run }: { a: Activity; busy: boolean; run: Run }) {
  const [minutes, setMinutes] = useState<string | null>(null);
  const [photos, setPhotos] = useState<string[] | null>(null);
  const [uploading, setUploading] = useState(false);
  const text = minutes ?? a.minutes?.text ?? '';
  const photoUrls = photos ?? a.minutes?.photoUrls ?? [];
  return (
    <View className="manage__card" data-testid="manage-minutes">
      <TextField
        label="会议纪要"
        value={text}
        onChange={setMinutes}
        multiline
        maxLength={ACTIVITY_RULES.minutesMax}
        placeholder="议题、讨论情况、决定事项"
        testId="manage-minutes-text"
      />
      <PhotoPicker
        value={photoUrls}
        onChange={setPhotos}
        max={ACTIVITY_RULES.photosMax}
        testId="manage-photos"
        onBusy={setUploading}
      />
      <Button
        type="primary"
        size="large"
        block
        disabled={busy || uploading || !text.trim()}
        onClick={() => void run(() => putActivityMinutes(a.id, { text: text.trim(), photoUrls }), '纪要已保存')}
        data-testid="manage-minutes-save"
      >
        保存纪要
      </Button>
    </View>
  );
}
