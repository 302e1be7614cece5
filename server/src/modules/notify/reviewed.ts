import { tell } from '../messages/messages.service';

/**
 * Two of issue 19's triggers that happen inside other modules' decisions: a member's 承诺 reviewed (approved or
 * returned) and a check-in of theirs reviewed (approved or rejected). Called once per decision (each decision is a
 * compare-and-swap move or a once-only review insert), so the message id is the decision itself. To 我的 -> 消息,
 * and to WeChat with the 'review' template when reminders are on and the member consented.
 */
export async function tellCommitmentReviewed(
  userId: string,
  commitmentId: string,
  approved: boolean,
  comment: string | null,
  at: Date,
): Promise<void> {
  await tell(
    [userId],
    {
      id: `commitment_reviewed|${commitmentId}|${at.getTime()}`,
      kind: 'commitment_reviewed',
      title: approved ? '您的承诺已审核通过' : '您的承诺被退回修改',
      text: comment?.trim() ? `意见：${comment.trim()}` : approved ? '请按承诺践诺' : '请修改后重新提交',
      ref: `commitment:${commitmentId}`,
    },
    at,
  );
}

export async function tellCheckinReviewed(
  userId: string,
  checkinId: string,
  day: string,
  approved: boolean,
  comment: string | null,
  at: Date,
): Promise<void> {
  await tell(
    [userId],
    {
      id: `checkin_reviewed|${checkinId}`,
      kind: 'checkin_reviewed',
      title: approved ? `${day} 的打卡已审核通过` : `${day} 的打卡被驳回`,
      text: comment?.trim() ? `意见：${comment.trim()}` : approved ? '已计入出勤' : '未计入出勤',
      ref: `checkin:${checkinId}`,
    },
    at,
  );
}
