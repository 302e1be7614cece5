import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { Commitment } from '@pioneer/shared';
import { COMMITMENT_LIMITS as L, RATING_LABELS, STATUS_LABELS } from '@pioneer/shared/src/commitments';
import FormSubmit from '../../components/FormSubmit';
import PhotoPicker from '../../components/PhotoPicker';
import TextField from '../../components/TextField';
import { useRequest } from '../../hooks/use-request';
import { ApiError } from '../../services/api-error';
import { addCommitmentProgress, getMyCommitment, saveMyCommitment, submitCommitment } from '../../services/api';
import { mediaUrl } from '../../services/media';
import { formatTime } from '../../utils/format';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');

/** Items, return comment, progress and evaluation of a commitment (shared by my panel and the wall). */
export function CommitmentBody({ c }: { c: Commitment }) {
  return (
    <View>
      {c.items.map((item, i) => (
        <Text key={i} className="commit__item" data-testid="commit-item">{`${i + 1}. ${item.text}`}</Text>
      ))}
      {c.evaluation && (
        <Text className="commit__eval" data-testid="commit-evaluation">
          {`年终评诺：${RATING_LABELS[c.evaluation.rating]}${c.evaluation.comment ? `（${c.evaluation.comment}）` : ''}`}
        </Text>
      )}
      {c.progress.map((p) => (
        <View key={p.id} className="commit__progress" data-testid="commit-progress">
          <Text className="commit__progress-time">{`践诺 · ${formatTime(p.at)}`}</Text>
          <Text className="commit__progress-text">{p.text}</Text>
          {p.photoUrls.length > 0 && (
            <View className="commit__photos">
              {p.photoUrls.map((u) => (
                <Image key={u} className="commit__photo" src={mediaUrl(u)} mode="aspectFill" />
              ))}
            </View>
          )}
        </View>
      ))}
    </View>
  );
}

function Editor({ year, c, onDone }: { year: number; c: Commitment | null; onDone: () => void }) {
  const [items, setItems] = useState<string[]>(c?.items.map((i) => i.text) ?? ['']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => setItems(c?.items.map((i) => i.text) ?? ['']), [c]);

  async function save(thenSubmit: boolean) {
    const list = items.map((t) => t.trim()).filter(Boolean);
    if (list.length < L.itemsMin) return setError('请至少填写1条承诺');
    setBusy(true);
    setError('');
    try {
      const saved = await saveMyCommitment({ year, items: list.map((text) => ({ text })) });
      if (thenSubmit) await submitCommitment(saved.commitment!.id);
      void Taro.showToast({ title: thenSubmit ? '已提交审核' : '草稿已保存', icon: 'none' });
      onDone();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View data-testid="commit-editor">
      {items.map((text, i) => (
        <View key={i} className="commit__edit-row">
          <TextField
            label={`承诺 ${i + 1}`}
            value={text}
            multiline
            maxLength={L.itemMax}
            onChange={(v) => setItems(items.map((x, j) => (j === i ? v : x)))}
            testId={`commit-input-${i}`}
          />
          {items.length > 1 && (
            <View
              className="commit__remove"
              role="button"
              onClick={() => setItems(items.filter((_, j) => j !== i))}
              data-testid={`commit-remove-${i}`}
            >
              <Text>删除这条</Text>
            </View>
          )}
        </View>
      ))}
      {items.length < L.itemsMax && (
        <Button size="large" block onClick={() => setItems([...items, ''])} data-testid="commit-add-item">
          {`＋ 再加一条（最多${L.itemsMax}条）`}
        </Button>
      )}
      {error && (
        <Text className="form-error" data-testid="commit-error">
          {error}
        </Text>
      )}
      <View className="actions">
        <Button size="large" block disabled={busy} onClick={() => void save(false)} data-testid="commit-save">
          保存草稿
        </Button>
        <Button
          type="primary"
          size="large"
          block
          disabled={busy}
          onClick={() => void save(true)}
          data-testid="commit-submit"
        >
          提交审核
        </Button>
      </View>
    </View>
  );
}

function ProgressForm({ c, onDone }: { c: Commitment; onDone: () => void }) {
  const [text, setText] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function send() {
    if (!text.trim()) return setError('请填写践诺情况');
    setBusy(true);
    setError('');
    try {
      await addCommitmentProgress(c.id, { text: text.trim(), photoUrls: photos });
      setText('');
      setPhotos([]);
      void Taro.showToast({ title: '践诺记录已添加', icon: 'none' });
      onDone();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <View className="commit__progress-form" data-testid="progress-form">
      <TextField
        label="记录践诺（做了什么、帮了谁）"
        value={text}
        onChange={setText}
        multiline
        maxLength={L.progressMax}
        testId="progress-text"
      />
      <PhotoPicker
        value={photos}
        onChange={setPhotos}
        max={L.photosMax}
        testId="progress-photos"
        onBusy={setUploading}
      />
      <FormSubmit error={error} disabled={busy || uploading} onSubmit={() => void send()} testId="progress-submit">
        添加践诺记录
      </FormSubmit>
    </View>
  );
}

/** My commitment for this year: write, submit, see why it came back, record progress. */
export function MyCommitment({ year, shown }: { year: number; shown: number }) {
  const mine = useRequest(() => getMyCommitment(year), [year, shown], shown > 0);
  const c = mine.data?.commitment ?? null;
  const editable = !c || c.status === 'draft' || c.status === 'returned';

  return (
    <View className="section" data-testid="my-commitment">
      <View className="section__head">
        <Text className="section__title">{`${year}年我的承诺`}</Text>
        {c && (
          <Text className={`commit__status commit__status--${c.status}`} data-testid="commit-status">
            {STATUS_LABELS[c.status]}
          </Text>
        )}
      </View>
      {mine.error && <Text className="form-error">{mine.error.message}</Text>}
      {c?.status === 'returned' && (
        <Text
          className="commit__returned"
          data-testid="commit-return-comment"
        >{`书记退回意见：${c.reviewComment ?? ''}`}</Text>
      )}
      {!mine.data && mine.loading && <Text className="section__hint">加载中…</Text>}
      {mine.data && editable && (
        <>
          {!c && (
            <Text className="section__hint">年初公开承诺：写下今年为群众办的1–5件实事，提交后由支部书记审核。</Text>
          )}
          <Editor year={year} c={c} onDone={() => void mine.reload()} />
        </>
      )}
      {c && !editable && <CommitmentBody c={c} />}
      {c?.status === 'submitted' && <Text className="section__hint">已提交，等待支部书记审核。</Text>}
      {c?.status === 'approved' && !c.evaluation && <ProgressForm c={c} onDone={() => void mine.reload()} />}
    </View>
  );
}
