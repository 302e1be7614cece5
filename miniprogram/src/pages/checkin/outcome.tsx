import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CheckinResult } from '@pioneer/shared';
import { CHECKIN_FLAG_LABELS } from '@pioneer/shared/src/checkins';
import { formatTime } from '../../utils/format';
import { formatDistance } from '../../utils/location';

export const CALENDAR_PAGE = '/pages/checkin-calendar/index';

/** What happened after 打卡: valid (and the point), or sent for review; suspicion flags said plainly. */
export function Outcome({ result, onAgain }: { result: CheckinResult; onAgain: () => void }) {
  const pending = result.status === 'pending';
  return (
    <View
      className={`checkin__outcome${pending ? ' checkin__outcome--pending' : ''}`}
      data-testid="checkin-result"
      data-status={result.status}
    >
      {/* Text marks, not emoji: older phones and Linux browsers lack emoji fonts. */}
      <Text className="checkin__outcome-icon">{pending ? '审' : '✓'}</Text>
      <Text className="checkin__outcome-title">{pending ? '已提交外勤打卡' : '打卡成功'}</Text>
      {pending && (
        <Text className="checkin__outcome-line checkin__outcome-line--strong">等待支部书记审核，批准后计为出勤</Text>
      )}
      <Text className="checkin__outcome-line">
        {formatTime(result.at)} · {result.village.name}
      </Text>
      <Text className="checkin__outcome-line">距打卡点{formatDistance(result.distanceM)}</Text>
      {!pending && (
        <Text className="checkin__outcome-line" data-testid="checkin-points">
          {result.pointsAwarded > 0 ? `积分 +${result.pointsAwarded}` : '今日打卡积分已计入'}
        </Text>
      )}
      {pending && <Text className="checkin__outcome-line">说明：{result.reason}</Text>}
      {result.flags.length > 0 && (
        <Text className="checkin__outcome-flags" data-testid="checkin-flags">
          本次打卡已标记：{result.flags.map((f) => CHECKIN_FLAG_LABELS[f]).join('、')}（将在考勤报表中显示）
        </Text>
      )}
      <View className="checkin__outcome-actions">
        <Button
          size="large"
          block
          onClick={() => void Taro.navigateTo({ url: CALENDAR_PAGE })}
          data-testid="checkin-open-calendar"
        >
          查看我的考勤
        </Button>
        <Button type="primary" fill="none" size="large" block onClick={onAgain} data-testid="checkin-again">
          再次打卡
        </Button>
      </View>
    </View>
  );
}
