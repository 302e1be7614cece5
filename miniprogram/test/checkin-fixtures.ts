import type { Me, MyMonth } from '@pioneer/shared';
import { monthKey } from '@pioneer/shared/src/time';
import { buildMe } from './api-mock';

/** 青山村's fence: 600 m around the village's centre. */
export const FENCE = { lat: 30.5447, lng: 119.9752, radiusM: 600 };

/** 赵驻村, a cadre posted to 青山村 (so 打卡 applies to him); `over` changes any field. */
export const cadre = (over: Partial<Me> = {}): Me =>
  buildMe({
    name: '赵驻村',
    roles: ['member', 'cadre'],
    postedVillage: { id: 'v1', name: '青山村', type: 'village', fence: FENCE },
    ...over,
  });

/** This month with no check-in yet, 20 days required. */
export const emptyMonth: MyMonth = {
  month: monthKey(Date.now()),
  village: null,
  days: [],
  presentDays: 0,
  pendingDays: 0,
  flaggedDays: 0,
  requiredDays: 20,
  items: [],
};
