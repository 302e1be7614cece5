import type { Fence, Me } from '@pioneer/shared';
import { getOrg } from '../services/api';
import { useRequest } from './use-request';

export interface VillageFence {
  name: string;
  fence: Fence;
}

/**
 * The fence of the village (or community) the member's branch sits in, when it has one: what a secretary may use
 * as an activity's place so members can sign in by location. Branches under a township or an agency have none.
 */
export function useVillageFence(me: Me | undefined): VillageFence | null {
  const village = me?.org
    ? [...me.org.path].reverse().find((o) => o.type === 'village' || o.type === 'community')
    : undefined;
  const org = useRequest(() => getOrg(village!.id), [village?.id], !!village);
  return village && org.data?.fence ? { name: org.data.name, fence: org.data.fence } : null;
}
