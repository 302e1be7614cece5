import { Text, View } from '@tarojs/components';
import type { CircleFence } from '@pioneer/shared';
import { CHECKIN_RULES } from '@pioneer/shared/src/checkins';
import type { LocationState } from '../../hooks/use-location';
import { distanceToFence, formatDistance } from '../../utils/location';

/** Where I am against the fence, judged as the server will judge it, with 重新定位 beside it. */
export default function WhereAmI({ loc, fence }: { loc: LocationState; fence: CircleFence }) {
  const check = loc.fix ? distanceToFence(loc.fix, fence) : null;
  return (
    <View className="checkin__where" data-testid="checkin-distance">
      <View className="checkin__where-text">
        {loc.error ? (
          <Text className="checkin__warn">{loc.error.message}</Text>
        ) : check && loc.fix ? (
          <>
            <Text className={`checkin__distance${check.within ? '' : ' checkin__distance--out'}`}>
              {check.within ? '已在打卡范围内' : '不在打卡范围内'}
            </Text>
            <Text className="checkin__detail">距打卡点{formatDistance(check.distanceM)}</Text>
            <Text className="checkin__detail">定位精度约{Math.round(loc.fix.accuracy)}米</Text>
            {loc.fix.accuracy > CHECKIN_RULES.maxAccuracyM && (
              <Text className="checkin__warn">定位精度不足，请到开阔处重新定位</Text>
            )}
          </>
        ) : (
          <Text className="checkin__detail">正在定位…</Text>
        )}
      </View>
      <Text className="checkin__relocate" data-testid="checkin-relocate" onClick={() => void loc.relocate()}>
        {loc.locating ? '定位中…' : '重新定位'}
      </Text>
    </View>
  );
}
