import type { MyClaim, Post, ServiceRecord, Wish } from '@pioneer/shared';

export function post(over: Partial<Post> = {}): Post {
  return {
    id: 'p1',
    title: '法律咨询岗',
    category: '法律维权',
    description: '每周六上午为群众解答法律问题。',
    skills: ['法律'],
    capacity: 3,
    taken: 1,
    seatsLeft: 2,
    org: { id: 'b1', name: '青山村党支部', type: 'branch' },
    startsAt: null,
    endsAt: null,
    status: 'open',
    serviceHours: 6.5,
    resolved: 4,
    myClaim: null,
    canManage: false,
    createdAt: '2025-11-20T02:00:00.000Z',
    ...over,
  };
}

export function record(over: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    id: 'r1',
    claimId: 'p1_u1',
    postId: 'p1',
    postTitle: '法律咨询岗',
    userId: 'u1',
    userName: '陈党员',
    hours: 2,
    resolved: 1,
    note: '为三位群众解答继承问题',
    photoUrls: [],
    status: 'pending',
    createdAt: '2025-11-25T02:00:00.000Z',
    review: null,
    pointsAwarded: null,
    ...over,
  };
}

export function myClaim(over: Partial<MyClaim> = {}): MyClaim {
  return {
    id: 'p1_u1',
    postId: 'p1',
    userId: 'u1',
    status: 'active',
    claimedAt: '2025-11-24T02:00:00.000Z',
    hours: 2,
    resolved: 1,
    post: post({ myClaim: { id: 'p1_u1', status: 'active' } }),
    records: [
      record({
        status: 'confirmed',
        pointsAwarded: 4,
        review: { decision: 'confirm', comment: '辛苦了', at: '2025-11-25T03:00:00.000Z', byName: '李书记' },
      }),
    ],
    ...over,
  };
}

export function wish(over: Partial<Wish> = {}): Wish {
  return {
    id: 'w1',
    title: '想学用智能手机视频通话',
    description: '子女在外地，想和他们视频。',
    residentName: '陈*英',
    residentContact: null,
    org: { id: 'b1', name: '青山村党支部', type: 'branch' },
    status: 'open',
    claimant: null,
    mine: false,
    fulfilment: null,
    review: null,
    pointsAwarded: null,
    canManage: false,
    createdAt: '2025-11-20T02:00:00.000Z',
    ...over,
  };
}

export const page = <T>(items: T[], nextCursor: string | null = null) => ({
  statusCode: 200,
  data: { items, nextCursor },
});
