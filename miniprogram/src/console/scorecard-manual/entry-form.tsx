import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ManualEntriesView } from '@pioneer/shared';
import PhotoPicker from '../../components/PhotoPicker';
import TextField from '../../components/TextField';
import { ApiError } from '../../services/api-error';
import { putManual } from '../../services/scorecards-api';

type Indicator = ManualEntriesView['indicators'][number];
type Entry = ManualEntriesView['entries'][number];

/** The first problem with a value as typed, in words a township clerk understands; null when it can be sent. */
export function entryProblem(ind: Indicator, value: string, photos: readonly string[]): string | null {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n)) return `请填写${ind.label}的数值`;
  if (n < 0) return '数值不能小于0';
  if (n > ind.target) return `${ind.label}最高${ind.target}`;
  if (photos.length === 0) return '请上传佐证照片';
  return null;
}

/** Enter (or correct: the form starts from what is there) one branch's value of one manual indicator. */
export default function EntryForm(props: {
  branchId: string;
  quarter: string;
  indicator: Indicator;
  entry: Entry | undefined;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { indicator: ind, entry } = props;
  const [value, setValue] = useState(entry ? String(entry.value) : '');
  const [note, setNote] = useState(entry?.note ?? '');
  const [photos, setPhotos] = useState<string[]>(entry?.photoUrls ?? []);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function save() {
    const problem = entryProblem(ind, value, photos);
    setError(problem ?? '');
    if (problem || busy || uploading) return;
    setBusy(true);
    try {
      await putManual({
        branch: props.branchId,
        quarter: props.quarter,
        key: ind.key,
        value: Number(value.trim()),
        note: note.trim(),
        photoUrls: photos,
      });
      props.onSaved();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="manual-form" data-testid="manual-form">
      <Text className="manual-form__title">
        {entry ? '修改' : '录入'}：{ind.label}（满分标准 {ind.target}）
      </Text>
      <TextField
        label={`数值（0–${ind.target}）`}
        type="number"
        value={value}
        onChange={setValue}
        testId="manual-value"
      />
      <TextField
        label="说明（选填）"
        value={note}
        onChange={setNote}
        maxLength={200}
        placeholder="如：村集体经济收入来源、项目名称"
        testId="manual-note"
      />
      <PhotoPicker
        label="佐证照片（必传）"
        value={photos}
        onChange={setPhotos}
        max={6}
        onBusy={setUploading}
        testId="manual-photos"
      />
      {error && (
        <Text className="form-error" data-testid="manual-error">
          {error}
        </Text>
      )}
      <View className="scores__actions">
        <Button type="primary" disabled={busy || uploading} onClick={() => void save()} data-testid="manual-save">
          {busy ? '保存中…' : '保存'}
        </Button>
        <Button onClick={props.onCancel}>取消</Button>
      </View>
    </View>
  );
}
