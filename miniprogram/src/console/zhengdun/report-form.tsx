import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Plan } from '@pioneer/shared';
import PhotoPicker from '../../components/PhotoPicker';
import TextField from '../../components/TextField';
import { ApiError } from '../../services/api-error';
import { planMove } from '../../services/scorecards-api';

/** The branch secretary's progress on one item: what was done and photos as evidence (at least one of the two). */
export default function ReportForm(props: { plan: Plan; n: number; onDone: () => void; onCancel: () => void }) {
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function send() {
    if (busy || uploading) return;
    if (!text.trim() && photos.length === 0) return setError('请填写整顿进展或上传佐证照片');
    setBusy(true);
    setError('');
    try {
      await planMove(props.plan, `/items/${props.n}/progress`, { text: text.trim(), photoUrls: photos });
      props.onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '提交失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="plan__report" data-testid="plan-report">
      <TextField
        label="整顿进展"
        value={text}
        onChange={setText}
        multiline
        maxLength={500}
        placeholder="做了什么、取得什么效果"
        testId="plan-report-text"
      />
      <PhotoPicker
        label="佐证照片"
        value={photos}
        onChange={setPhotos}
        max={6}
        onBusy={setUploading}
        testId="plan-report-photos"
      />
      {error && (
        <Text className="form-error" data-testid="plan-report-error">
          {error}
        </Text>
      )}
      <View className="scores__actions">
        <Button type="primary" disabled={busy || uploading} onClick={() => void send()} data-testid="plan-report-send">
          {busy ? '提交中…' : '提交进展'}
        </Button>
        <Button onClick={props.onCancel}>取消</Button>
      </View>
    </View>
  );
}
