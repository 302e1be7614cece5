import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { ReviewGrade, ReviewPendingItem, ReviewResultRow } from '@pioneer/shared';
import { REVIEW_GRADES, REVIEW_GRADE_LABELS, REVIEW_REASON_MAX } from '@pioneer/shared/src/reviews';
import Segmented from '../../components/Segmented';
import TextField from '../../components/TextField';
import { ApiError } from '../../services/api-error';
import { confirmReviewGrade, setReviewGrade } from '../../services/reviews-api';

const message = (e: unknown) => (e instanceof ApiError ? e.message : '操作失败，请重试');
const countsText = (row: ReviewResultRow) =>
  row.counts ? REVIEW_GRADES.map((g) => `${REVIEW_GRADE_LABELS[g]} ${row.counts![g]}`).join(' · ') : '票数不显示';

/** One member's counts and the committee's final grade (set once; 不合格 with a reason, then the township confirms). */
export function ResultRow({
  row,
  branchId,
  year,
  index,
  self,
  onSaved,
}: {
  row: ReviewResultRow;
  branchId: string;
  year: number;
  index: number;
  self: boolean;
  onSaved: () => void;
}) {
  const [grade, setGrade] = useState<ReviewGrade>('qualified');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  async function save() {
    if (grade === 'unqualified' && !reason.trim()) return setError('评定为不合格必须填写理由');
    setBusy(true);
    setError('');
    try {
      await setReviewGrade(branchId, year, row.member.id, {
        grade,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      onSaved();
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }
  const g = row.grade;
  return (
    <View className="section" data-testid="result-row" data-member={row.member.name}>
      <Text className="section__title">{row.member.name}</Text>
      <Text className="section__hint" data-testid={`counts-${index}`}>
        {countsText(row)}
      </Text>
      {row.comments && row.comments.length > 0 && (
        <Text className="section__hint">意见：{row.comments.join('；')}</Text>
      )}
      {g && (
        <Text className="section__hint" data-testid={`final-${index}`}>
          评定等次：{REVIEW_GRADE_LABELS[g.grade]}
          {g.status === 'pending' ? '（待乡镇确认）' : ''}
        </Text>
      )}
      {!g && self && <Text className="section__hint">本人的等次由上级党组织评定</Text>}
      {!g && !self && (
        <View>
          <Segmented
            label="评定等次"
            value={grade}
            onChange={setGrade}
            options={REVIEW_GRADES.map((x) => ({
              value: x,
              label: REVIEW_GRADE_LABELS[x],
              testId: `set-${index}-${x}`,
            }))}
          />
          {grade === 'unqualified' && (
            <TextField
              label="不合格理由（必填）"
              value={reason}
              onChange={setReason}
              maxLength={REVIEW_REASON_MAX}
              multiline
              testId={`reason-${index}`}
            />
          )}
          {error && (
            <Text className="form-error" data-testid={`grade-error-${index}`}>
              {error}
            </Text>
          )}
          <Button
            type="primary"
            size="large"
            block
            disabled={busy}
            onClick={() => void save()}
            data-testid={`save-${index}`}
          >
            确定等次
          </Button>
        </View>
      )}
    </View>
  );
}

/** A 不合格 waiting for the township: confirm it, or return it to the branch with a note. */
export function PendingCard({ item, onDone }: { item: ReviewPendingItem; onDone: () => void }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  async function decide(decision: 'confirm' | 'return') {
    if (decision === 'return' && !note.trim()) return setError('退回时请填写意见');
    try {
      await confirmReviewGrade(item.branchId, item.year, item.member.id, {
        decision,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onDone();
    } catch (e) {
      setError(message(e));
    }
  }
  return (
    <View className="section" data-testid="pending-item">
      <Text className="section__title">
        {item.branchName} · {item.member.name}（{item.year}年度）
      </Text>
      <Text className="section__hint">支部评定：不合格。理由：{item.reason}</Text>
      <TextField
        label="意见（退回时必填）"
        value={note}
        onChange={setNote}
        maxLength={REVIEW_REASON_MAX}
        testId="pending-note"
      />
      {error && <Text className="form-error">{error}</Text>}
      <View className="actions">
        <Button size="large" block onClick={() => void decide('return')} data-testid="pending-return">
          退回支部
        </Button>
        <Button type="primary" size="large" block onClick={() => void decide('confirm')} data-testid="pending-confirm">
          确认不合格
        </Button>
      </View>
    </View>
  );
}
