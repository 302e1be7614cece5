/** 通知公告, 任务督办 and 消息 (issue 19): one typed function per endpoint; types from shared/. */
import type {
  CreateTaskBody,
  SubscribeTemplate,
  MemberMessage,
  MyTask,
  NoticeDetail,
  NoticeList,
  NoticeListItem,
  NoticeStats,
  PublishNoticeBody,
  TaskBoard,
  TaskReceiverRow,
  TaskReportBody,
  TaskSummary,
  UploadedAttachment,
} from '@pioneer/shared';
import { buildUrl, request } from './request';
import { upload, type UploadFile } from './upload';

const id = encodeURIComponent;

export const getNotices = () => request<NoticeList>({ path: '/notices', quiet: true });
export const getNoticeBadge = () => request<{ unread: number }>({ path: '/notices/badge', quiet: true });
export const openNotice = (noticeId: string) =>
  request<NoticeDetail>({ path: `/notices/${id(noticeId)}`, quiet: true });
export const getManagedNotices = () => request<{ items: NoticeListItem[] }>({ path: '/notices/managed', quiet: true });
export const publishNotice = (
  body: Partial<Omit<PublishNoticeBody, 'expiresAt'>> & { title: string; body: string; expiresAt?: string | null },
) => request<NoticeListItem & { recipients: number }>({ method: 'POST', path: '/notices', body, quiet: true });
/** A file for a notice being written: checked by its bytes and stored; the publish body names it. */
export const uploadAttachment = (file: UploadFile) =>
  upload<UploadedAttachment>({ path: '/notices/attachments', file, quiet: true });
export const attachmentUrl = (noticeId: string, index: number) =>
  buildUrl(`/notices/${id(noticeId)}/attachments/${index}`);
export const getNoticeStats = (noticeId: string) =>
  request<NoticeStats>({ path: `/notices/${id(noticeId)}/stats`, quiet: true });
export const remindNotice = (noticeId: string) =>
  request<{ reminded: number }>({ method: 'POST', path: `/notices/${id(noticeId)}/remind`, body: {}, quiet: true });
export const getMessages = () => request<{ items: MemberMessage[] }>({ path: '/me/messages', quiet: true });

type NewTask = Partial<CreateTaskBody> & Pick<CreateTaskBody, 'title' | 'deadline'>;
export const createTask = (body: NewTask) =>
  request<TaskSummary>({ method: 'POST', path: '/tasks', body, quiet: true });
export const getSentTasks = () => request<{ items: TaskSummary[] }>({ path: '/tasks/sent', quiet: true });
export const getMyTasks = () => request<{ items: MyTask[] }>({ path: '/tasks/mine', quiet: true });
export const getTaskBoard = (taskId: string) => request<TaskBoard>({ path: `/tasks/${id(taskId)}/board`, quiet: true });
export const taskXlsxUrl = (taskId: string) => buildUrl(`/tasks/${id(taskId)}/export`);
const receiver = (taskId: string, receiverId: string, what: string) =>
  `/tasks/${id(taskId)}/receivers/${id(receiverId)}/${what}`;
export const reportTask = (taskId: string, receiverId: string, body: TaskReportBody) =>
  request<TaskReceiverRow>({ method: 'POST', path: receiver(taskId, receiverId, 'report'), body, quiet: true });
export const acceptTask = (taskId: string, receiverId: string) =>
  request<TaskReceiverRow>({ method: 'POST', path: receiver(taskId, receiverId, 'accept'), body: {}, quiet: true });
export const returnTask = (taskId: string, receiverId: string, comment: string) =>
  request<TaskReceiverRow>({
    method: 'POST',
    path: receiver(taskId, receiverId, 'return'),
    body: { comment },
    quiet: true,
  });

export interface SubscriptionState {
  enabled: boolean;
  templates: Partial<Record<SubscribeTemplate, string>>;
  counts: Partial<Record<SubscribeTemplate, number>>;
}
export const getSubscriptions = () => request<SubscriptionState>({ path: '/me/subscriptions', quiet: true });
export const postSubscriptions = (code: string, accepted: SubscribeTemplate[]) =>
  request<{ counts: SubscriptionState['counts'] }>({
    method: 'POST',
    path: '/me/subscriptions',
    body: { code, accepted },
    quiet: true,
  });
