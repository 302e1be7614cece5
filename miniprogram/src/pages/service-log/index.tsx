import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { POST_LIMITS, WISH_LIMITS } from '@pioneer/shared/src/posts';
import PageContainer from '../../components/PageContainer';
import PhotoPicker from '../../components/PhotoPicker';
import Segmented from '../../components/Segmented';
import Stepper from '../../components/Stepper';
import TextField from '../../components/TextField';
import { usePointRules } from '../../hooks/use-point-rules';
import { useRequest } from '../../hooks/use-request';
import { useSession } from '../../hooks/use-session';
import { fulfilWish, getMyClaims, getWish, logService } from '../../services/api';
import { ApiError } from '../../services/api-error';
import { queryValue } from '../../utils/quiz-nav';
import { back } from '../../utils/service-nav';
import { dayLabel, servedDayChoices } from '../../utils/service-format';
import './index.scss';

interface Target {
  kind: 'claim' | 'wish';
  id: string;
  title: string;
}

/** What the form is about: my claim (from 我的认领) or a wish I hold. */
async function loadTarget(claimId?: string, wishId?: string): Promise<Target> {
  if (wishId) {
    const wish = await getWish(wishId);
    return { kind: 'wish', id: wish.id, title: wish.title };
  }
  const mine = await getMyClaims();
  const claim = mine.items.find((c) => c.id === claimId);
  if (!claim) throw new ApiError('NOT_FOUND', '没有找到这条认领，可能已取消', 404);
  return { kind: 'claim', id: claim.id, title: claim.post.title };
}

/**
 * 记录服务 (hours, problems solved, what was done, photos) on a claim, or 标记完成 (what was done, photos) on a
 * wish. Both wait for the secretary's confirmation, which is what pays the points.
 */
export default function ServiceLog() {
  const loggedIn = useSession();
  const { params } = useRouter();
  const claimId = queryValue(params.claim);
  const wishId = queryValue(params.wish);
  const target = useRequest(() => loadTarget(claimId, wishId), [claimId, wishId], loggedIn && !!(claimId || wishId));
  const t = target.data;

  // The page is declared 记录服务; a wish's completion is not a service record, so its title says what it is.
  useEffect(() => {
    if (t?.kind === 'wish') void Taro.setNavigationBarTitle({ title: '标记心愿完成' });
  }, [t?.kind]);

  const [days] = useState(() => servedDayChoices());
  const [servedOn, setServedOn] = useState(days[0]!.value);
  const [hours, setHours] = useState(1);
  const rules = usePointRules();
  const cap = rules.rule('post_service').cap;
  const [resolved, setResolved] = useState(0);
  const [note, setNote] = useState('');
  const [photos, setPhotos] = useState<string[]>([]);
  const [uploading, setUploading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState('');

  const limits = t?.kind === 'wish' ? WISH_LIMITS : POST_LIMITS;
  async function submit() {
    if (!t || saving || uploading) return;
    if (note.trim().length < limits.noteMin) {
      setProblem(t.kind === 'wish' ? '请简要写下如何帮群众圆梦' : '请简要写下服务内容');
      return;
    }
    setSaving(true);
    setProblem('');
    try {
      if (t.kind === 'claim')
        await logService(t.id, { hours, resolved, note: note.trim(), photoUrls: photos, servedOn });
      else await fulfilWish(t.id, { note: note.trim(), photoUrls: photos });
      void Taro.showToast({ title: '已提交，等待书记确认', icon: 'none', duration: 2000 });
      back();
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : '提交失败，请重试');
    } finally {
      setSaving(false);
    }
  }

  return (
    <PageContainer
      className="slog"
      loggedIn={loggedIn}
      loading={target.loading}
      hasData={!!t}
      error={target.error}
      onRetry={target.reload}
    >
      {t && (
        <View className="slog__card">
          <Text className="slog__what">{t.kind === 'claim' ? '记录服务' : '标记心愿完成'}</Text>
          <Text className="slog__title" data-testid="slog-title">
            {t.title}
          </Text>
          {t.kind === 'claim' && (
            <>
              <Text className="slog__label">{`哪一天服务的（可选最近${days.length - 1}天）`}</Text>
              <Segmented
                label="服务日期"
                options={days.map((d) => ({ ...d, testId: `slog-day-${d.value}` }))}
                value={servedOn}
                onChange={setServedOn}
              />
              <Text className="slog__day" data-testid="slog-day">{`服务日期：${dayLabel(servedOn)}`}</Text>
              <Stepper
                label="服务时长"
                unit="小时"
                value={hours}
                min={POST_LIMITS.hoursMin}
                max={POST_LIMITS.hoursMax}
                step={POST_LIMITS.hoursStep}
                onChange={setHours}
                testId="slog-hours"
              />
              <Stepper
                label="解决群众实际困难"
                unit="件"
                value={resolved}
                min={0}
                max={POST_LIMITS.resolvedMax}
                onChange={setResolved}
                testId="slog-resolved"
              />
            </>
          )}
          <TextField
            label={t.kind === 'claim' ? '服务内容' : '完成情况'}
            multiline
            value={note}
            maxLength={limits.noteMax}
            placeholder={t.kind === 'claim' ? `在“${t.title}”做了哪些事，帮了谁` : '例如：已送到群众家中，当面交接'}
            onChange={setNote}
            testId="slog-note"
          />
          <PhotoPicker
            value={photos}
            onChange={setPhotos}
            max={limits.photosMax}
            onBusy={setUploading}
            testId="slog-photos"
          />
          {problem && (
            <Text className="slog__problem" data-testid="slog-problem">
              {problem}
            </Text>
          )}
          <Text className="slog__rule">
            {t.kind === 'claim'
              ? `书记确认后得 ${rules.pays('post_service', hours)} 分（每小时${rules.pays('post_service')}分${cap ? `，每天最多${cap.max}分` : ''}）`
              : `书记确认后得 ${rules.pays('wish_fulfilled')} 分`}
          </Text>
          <Button
            type="primary"
            size="xlarge"
            block
            loading={saving}
            disabled={uploading}
            onClick={() => void submit()}
            data-testid="slog-submit"
          >
            提交
          </Button>
        </View>
      )}
    </PageContainer>
  );
}
