import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { formatBytes, type AttachmentKind, type NoticeAttachment } from '@pioneer/shared/src/notices';
import { ApiError } from '../../services/api-error';
import { downloadFile, type DownloadKind } from '../../services/download';
import { attachmentUrl } from '../../services/notices-api';

export const KIND_LABELS: Record<AttachmentKind, string> = {
  pdf: 'PDF',
  docx: 'Word',
  xlsx: 'Excel',
  jpg: '图片',
  png: '图片',
  webp: '图片',
};
export const viewerOf = (k: AttachmentKind): DownloadKind =>
  k === 'pdf' || k === 'docx' || k === 'xlsx' ? k : 'image';

/**
 * A notice's files: one whole-width row each (the tap target), with what it is, its name and size. A tap downloads
 * it with the member's session (the server lets only the notice's readers have it) and opens it: WeChat's document
 * viewer or picture previewer, the browser's download in H5.
 */
export default function NoticeAttachments({ noticeId, items }: { noticeId: string; items: NoticeAttachment[] }) {
  const [busy, setBusy] = useState<number | null>(null);
  async function open(a: NoticeAttachment) {
    if (busy !== null) return;
    setBusy(a.index);
    try {
      await downloadFile(attachmentUrl(noticeId, a.index), a.name, viewerOf(a.kind));
    } catch (e) {
      void Taro.showToast({ title: e instanceof ApiError ? e.message : '附件打开失败，请重试', icon: 'none' });
    } finally {
      setBusy(null);
    }
  }
  if (items.length === 0) return null;
  return (
    <View className="notice-files" data-testid="notice-attachments">
      <Text className="notice-files__title">附件（{items.length}）</Text>
      {items.map((a) => (
        <View key={a.index} className="notice-file" data-testid="notice-attachment" onClick={() => void open(a)}>
          <Text className={`notice-file__kind notice-file__kind--${viewerOf(a.kind)}`}>{KIND_LABELS[a.kind]}</Text>
          <View className="notice-file__main">
            <Text className="notice-file__name">{a.name}</Text>
            <Text className="notice-file__size">{formatBytes(a.bytes)}</Text>
          </View>
          <Text className="notice-file__action">{busy === a.index ? '打开中…' : '下载'}</Text>
        </View>
      ))}
    </View>
  );
}
