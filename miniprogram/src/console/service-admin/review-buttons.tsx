import { useState } from 'react';
import { View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import TextField from '../../components/TextField';
import { POST_LIMITS } from '@pioneer/shared/src/posts';

export interface ReviewButtonsProps {
  onConfirm: () => Promise<void>;
  /** Returned with the secretary's reason (optional but encouraged: the member sees it). */
  onReturn: (comment: string) => Promise<void>;
  testId: string;
}

/** 确认 at one tap; 退回 opens a reason box first, so a member is never sent back without a word. */
export default function ReviewButtons({ onConfirm, onReturn, testId }: ReviewButtonsProps) {
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } finally {
      setBusy(false);
    }
  };

  if (returning) {
    return (
      <View className="review">
        <TextField
          label="退回理由"
          value={comment}
          onChange={setComment}
          maxLength={POST_LIMITS.commentMax}
          placeholder="例如：请补充现场照片"
          testId={`${testId}-comment`}
        />
        <View className="review__row">
          <Button size="large" onClick={() => setReturning(false)}>
            取消
          </Button>
          <Button
            type="primary"
            size="large"
            loading={busy}
            onClick={() => void run(() => onReturn(comment.trim()))}
            data-testid={`${testId}-return-confirm`}
          >
            确认退回
          </Button>
        </View>
      </View>
    );
  }
  return (
    <View className="review__row">
      <Button size="large" disabled={busy} onClick={() => setReturning(true)} data-testid={`${testId}-return`}>
        退回
      </Button>
      <Button
        type="primary"
        size="large"
        loading={busy}
        onClick={() => void run(onConfirm)}
        data-testid={`${testId}-confirm`}
      >
        确认
      </Button>
    </View>
  );
}
