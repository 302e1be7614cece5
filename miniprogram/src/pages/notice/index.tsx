import { useRouter } from '@tarojs/taro';
import { RichText, Text, View } from '@tarojs/components';
import { formatShanghai } from '@pioneer/shared/src/time';
import { NOTICE_AUDIENCE_LABELS } from '@pioneer/shared/src/notices';
import PageContainer from '../../components/PageContainer';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { openNotice } from '../../services/notices-api';
import { queryValue } from '../../utils/quiz-nav';
import NoticeAttachments from './attachments';
import '../notices/index.scss';

/**
 * One notice. Opening it records the read receipt (once, on the server). The body is HTML the server sanitized
 * before storing it (headings, lists, bold, our own pictures): <RichText> renders it in WeChat and in H5 alike.
 */
export default function NoticePage() {
  const id = queryValue(useRouter().params.id) ?? '';
  const loggedIn = useSession();
  const notice = useRequest(() => openNotice(id), [id], loggedIn && !!id);
  const n = notice.data;
  return (
    <PageContainer
      loggedIn={loggedIn}
      loading={notice.loading}
      hasData={!!n}
      error={notice.error}
      onRetry={notice.reload}
    >
      {n && (
        <View className="inbox">
          <View className="inbox__card">
            <Text className="inbox__title" data-testid="notice-title">
              {n.title}
            </Text>
            <Text className="inbox__meta">
              {n.orgName} · {n.publisherName} · {formatShanghai(n.publishedAt, 'YYYY年M月D日 HH:mm')}
            </Text>
            <Text className="inbox__meta">
              发送对象：{NOTICE_AUDIENCE_LABELS[n.audience]}
              {n.expiresAt ? ` · 有效期至 ${formatShanghai(n.expiresAt, 'M月D日 HH:mm')}` : ''}
            </Text>
          </View>
          <View className="notice-body" data-testid="notice-body">
            <RichText nodes={n.body} />
          </View>
          <NoticeAttachments noticeId={n.id} items={n.attachments ?? []} />
        </View>
      )}
    </PageContainer>
  );
}
