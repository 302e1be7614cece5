import { useState } from 'react';
import type { PendingItem } from '@pioneer/shared';
import { ApiError } from '../../services/api-error';
import { reviewCheckin } from '../../services/api';

export type Decision = 'approve' | 'reject';

/**
 * 批准 / 驳回 of one waiting check-in with the reviewer's optional comment, as the phone card and the desk row both
 * offer it: on success the row leaves (`onDone`); on a refusal the buttons come back with the server's message.
 */
export function useDecision(item: PendingItem, onDone: (id: string, decision: Decision) => void) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function decide(decision: Decision) {
    setBusy(true);
    setError('');
    try {
      await reviewCheckin(item.id, { decision, comment: comment.trim() || undefined });
      onDone(item.id, decision);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : '操作失败，请重试');
      setBusy(false);
    }
  }

  return { comment, setComment, busy, error, decide };
}
