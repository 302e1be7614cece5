import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { STUDY_TOPICS, type StudyTopic } from '@pioneer/shared/src/study';
import { VIDEO_RULES, type VideoFileReply } from '@pioneer/shared/src/study-video';
import FormSubmit from '../../components/FormSubmit';
import PhotoPicker from '../../components/PhotoPicker';
import TextField from '../../components/TextField';
import { ApiError } from '../../services/api-error';
import { publishVideo, uploadVideoFile } from '../../services/study-api';
import type { UploadFile } from '../../services/upload';

const MAX_MB = VIDEO_RULES.maxBytes / 1024 / 1024;
const sizeText = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A video file: in H5 the browser's file input, in the mini-program chooseMedia (album or camera). */
async function chooseVideo(): Promise<UploadFile | null> {
  if (process.env.TARO_ENV === 'h5') {
    return new Promise((resolve) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = 'video/mp4';
      input.onchange = () => {
        const f = input.files?.[0];
        resolve(f ? { kind: 'blob', blob: f, name: f.name } : null);
      };
      input.click();
    });
  }
  try {
    const res = await Taro.chooseMedia({ count: 1, mediaType: ['video'], sourceType: ['album'] });
    const f = res.tempFiles[0];
    return f ? { kind: 'path', path: f.tempFilePath, name: 'video.mp4' } : null;
  } catch {
    return null;
  }
}

/** 发布视频: upload the MP4 (checked on the server: H.264, at most 200 MB), then title, topic and poster. */
export default function VideoForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const [file, setFile] = useState<VideoFileReply | null>(null);
  const [title, setTitle] = useState('');
  const [topic, setTopic] = useState<StudyTopic>(STUDY_TOPICS[0]);
  const [poster, setPoster] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function pick() {
    const chosen = await chooseVideo();
    if (!chosen) return;
    if (chosen.kind === 'blob' && chosen.blob.size > VIDEO_RULES.maxBytes) return setError(`视频不能超过 ${MAX_MB} MB`);
    setBusy(true);
    setError(null);
    try {
      setFile(await uploadVideoFile(chosen));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '上传失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  async function submit() {
    if (!file) return setError('请先上传视频文件');
    setBusy(true);
    setError(null);
    try {
      await publishVideo({ org: orgId, title, topic, file: file.file, poster: poster[0] ?? null });
      void Taro.showToast({ title: '已发布', icon: 'none' });
      setFile(null);
      setTitle('');
      setPoster([]);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '发布失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="section" data-testid="study-video-publish">
      <Text className="section__title">发布视频</Text>
      <Text className="section__hint">{`MP4（H.264 编码），不超过 ${MAX_MB} MB。党员实际观看满 80% 时长才计分。`}</Text>
      <Button size="large" block disabled={busy} onClick={() => void pick()} data-testid="sv-file">
        {file ? '重新选择视频' : '选择视频文件'}
      </Button>
      {file && (
        <Text className="sa-file" data-testid="sv-file-info">
          已上传：时长 {Math.round(file.seconds)} 秒，{sizeText(file.bytes)}
        </Text>
      )}
      <TextField label="标题" value={title} onChange={setTitle} maxLength={60} testId="sv-title" />
      <View className="sa-topics">
        {STUDY_TOPICS.map((t) => (
          <Text
            key={t}
            className={`sa-topic${t === topic ? ' sa-topic--on' : ''}`}
            onClick={() => setTopic(t)}
            data-testid={`sv-topic-${t}`}
          >
            {t}
          </Text>
        ))}
      </View>
      <PhotoPicker label="封面（选填）" value={poster} onChange={setPoster} max={1} testId="sv-poster" />
      <FormSubmit error={error} disabled={busy || !file} onSubmit={() => void submit()} testId="sv-submit">
        发布视频
      </FormSubmit>
    </View>
  );
}
