import { Map } from '@tarojs/components';
import type { CircleFence, LatLng } from '@pioneer/shared';
import './index.scss';

export interface FenceMapProps {
  fence: CircleFence;
  /** My position in GCJ-02 (WeChat's datum) and its accuracy, when known. */
  me?: (LatLng & { accuracy: number }) | null;
  /** Tapping the map reports the point (the admin's fence editor moves the centre there). */
  onTapPoint?: (p: LatLng) => void;
}

/** Zoom that keeps a circle of this radius on a phone screen (Tencent map scale levels 3–20). */
export function scaleFor(radiusM: number): number {
  return Math.max(3, Math.min(18, Math.round(16 - Math.log2(Math.max(radiusM, 100) / 250))));
}

/**
 * The fence circle and my position on WeChat's own map. Only the mini-program renders it: H5 has no Taro Map, and
 * the numbers (distance, radius) already say everything the map shows.
 */
export default function FenceMap({ fence, me, onTapPoint }: FenceMapProps) {
  if (process.env.TARO_ENV !== 'weapp') return null;
  const circles = [
    {
      latitude: fence.lat,
      longitude: fence.lng,
      radius: fence.radiusM,
      color: '#C8161DCC',
      fillColor: '#C8161D22',
      strokeWidth: 2,
    },
  ];
  if (me)
    circles.push({
      latitude: me.lat,
      longitude: me.lng,
      radius: Math.max(10, me.accuracy),
      color: '#1677FFCC',
      fillColor: '#1677FF33',
      strokeWidth: 1,
    });
  return (
    <Map
      className="fence-map"
      latitude={fence.lat}
      longitude={fence.lng}
      scale={scaleFor(fence.radiusM)}
      circles={circles}
      includePoints={
        me
          ? [
              { latitude: fence.lat, longitude: fence.lng },
              { latitude: me.lat, longitude: me.lng },
            ]
          : undefined
      }
      showLocation
      // A map that fails to load leaves the numbers above it, which say the same.
      onError={() => undefined}
      onTap={(e) => {
        const d = (e as unknown as { detail?: { latitude?: number; longitude?: number } }).detail;
        if (onTapPoint && typeof d?.latitude === 'number' && typeof d.longitude === 'number')
          onTapPoint({ lat: d.latitude, lng: d.longitude });
      }}
      data-testid="fence-map"
    />
  );
}
