import { useState } from 'react';
import { Button, Picker, Text, View } from '@tarojs/components';
import { INSPECTION_RULES, dayKey, type Inspection } from '@pioneer/shared';
import TextField from '../../components/TextField';
import PhotoPicker from '../../components/PhotoPicker';
import { useLocation } from '../../hooks/use-location';
import { ApiError } from '../../services/api-error';
import { recordInspection } from '../../services/inspections-api';
import type { BranchOption } from './branches';

/**
 * 记录一次巡查: the branch, the day, the findings, photos (our uploads), and — when done on site — the device's
 * fix, which the server checks against the village's fence like a check-in.
 */
export default function RecordForm({
  branches,
  onDone,
}: {
  branches: BranchOption[];
  onDone: (i: Inspection) => void;
}) {
  const [pick, setPick] = useState(0);
  const [date, setDate] = useState(() => dayKey(new Date()));
  const [findings, setFindings] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const where = useLocation();
  const branch = branches[pick];

  async function submit() {
    if (!branch || busy || uploading) return;
    setBusy(true);
    setError('');
    try {
      const fix = where.fix;
      const done = await recordInspection({
        org: branch.id,
        date,
        findings,
        photoUrls: photos,
        location: fix ? { lat: fix.lat, lng: fix.lng, accuracy: fix.accuracy, coordType: fix.coordType } : null,
      });
      setFindings('');
      setPhotos([]);
      onDone(done);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '保存失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="insp-form" data-testid="insp-form">
      <Text className="insp-form__title">记录一次巡查</Text>
      <Picker
        mode="selector"
        range={branches.map((b) => b.label)}
        value={pick}
        onChange={(e) => setPick(Number(e.detail.value))}
      >
        <View className="insp-form__picker" data-testid="insp-branch">
          巡查支部：{branch?.label ?? '本辖区没有支部'}
        </View>
      </Picker>
      <TextField label="巡查日期" value={date} onChange={setDate} placeholder="YYYY-MM-DD" testId="insp-date" />
      <TextField
        label="巡查发现"
        value={findings}
        onChange={setFindings}
        multiline
        maxLength={INSPECTION_RULES.findingsMax}
        placeholder="台账、活动阵地、党员反映的问题……"
        testId="insp-findings"
      />
      <PhotoPicker
        label="巡查照片（选填）"
        value={photos}
        onChange={setPhotos}
        max={INSPECTION_RULES.photosMax}
        onBusy={setUploading}
        testId="insp-photos"
      />
      <View className="insp-form__where">
        <Button
          className="insp-form__locate"
          size="mini"
          onClick={() => void where.relocate()}
          data-testid="insp-locate"
        >
          {where.locating ? '定位中…' : '现场定位'}
        </Button>
        <Text className="insp-form__hint">
          {where.fix
            ? `已定位（精度约${Math.round(where.fix.accuracy)}米），保存时核验是否在村打卡范围内`
            : '在现场时先定位，记录标为“现场核验”'}
        </Text>
      </View>
      {error && (
        <Text className="insp-form__error" data-testid="insp-error">
          {error}
        </Text>
      )}
      <Button
        className="insp-form__submit"
        type="primary"
        disabled={!branch || busy || uploading}
        onClick={() => void submit()}
        data-testid="insp-submit"
      >
        {busy ? '保存中…' : '保存巡查记录'}
      </Button>
    </View>
  );
}
