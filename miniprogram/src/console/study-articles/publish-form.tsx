import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { STUDY_RULES, STUDY_TOPICS, type StudyTopic } from '@pioneer/shared/src/study';
import FormSubmit from '../../components/FormSubmit';
import PhotoPicker from '../../components/PhotoPicker';
import TextField from '../../components/TextField';
import { ApiError } from '../../services/api-error';
import { publishArticle } from '../../services/study-api';

/** Typed paragraphs become <p> paragraphs; the server sanitizes whatever arrives anyway. */
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const paragraphs = (text: string) =>
  text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${escape(l)}</p>`)
    .join('');

/** 发布文章 to the admin's whole subtree (its root org). */
export default function PublishForm({ orgId, onDone }: { orgId: string; onDone: () => void }) {
  const [title, setTitle] = useState('');
  const [topic, setTopic] = useState<StudyTopic>(STUDY_TOPICS[0]);
  const [source, setSource] = useState('');
  const [body, setBody] = useState('');
  const [minSeconds, setMinSeconds] = useState('');
  // 封面: one of our uploads (POST /uploads); the schema takes nothing else.
  const [cover, setCover] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      await publishArticle({
        org: orgId,
        title,
        topic,
        source,
        cover: cover[0] ?? null,
        body: paragraphs(body),
        minSeconds: minSeconds ? Number(minSeconds) : null,
      });
      void Taro.showToast({ title: '已发布', icon: 'none' });
      setTitle('');
      setBody('');
      setMinSeconds('');
      setCover([]);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '发布失败，请重试');
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="section" data-testid="study-publish">
      <Text className="section__title">发布文章</Text>
      <TextField label="标题" value={title} onChange={setTitle} maxLength={STUDY_RULES.titleMax} testId="sa-title" />
      <View className="sa-topics">
        {STUDY_TOPICS.map((t) => (
          <Text
            key={t}
            className={`sa-topic${t === topic ? ' sa-topic--on' : ''}`}
            onClick={() => setTopic(t)}
            data-testid={`sa-topic-${t}`}
          >
            {t}
          </Text>
        ))}
      </View>
      <PhotoPicker
        label="封面（选填）"
        value={cover}
        onChange={setCover}
        max={1}
        testId="sa-cover"
        onBusy={setUploading}
      />
      <TextField
        label="来源"
        value={source}
        onChange={setSource}
        maxLength={STUDY_RULES.sourceMax}
        testId="sa-source"
      />
      <TextField
        label="正文（每段一行）"
        value={body}
        onChange={setBody}
        multiline
        maxLength={20000}
        testId="sa-body"
      />
      <TextField
        label={`最短阅读秒数（不填按字数：每15字1秒，${STUDY_RULES.minSeconds}–${STUDY_RULES.maxSeconds}秒）`}
        value={minSeconds}
        onChange={setMinSeconds}
        type="number"
        testId="sa-min"
      />
      <FormSubmit error={error} disabled={busy || uploading} onSubmit={() => void submit()} testId="sa-submit">
        发布
      </FormSubmit>
    </View>
  );
}
