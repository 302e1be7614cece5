/** The secretary's 待办 (issue 15): what waits for them in their branch, each with the page that clears it. */
export const TODO_ITEMS = ['checkins', 'commitments', 'records', 'wishes', 'leaves', 'binds'] as const;
export type TodoItem = (typeof TODO_ITEMS)[number];

export const TODO_LABELS: Record<TodoItem, string> = {
  checkins: '外勤打卡待审核',
  commitments: '承诺待审核',
  records: '服务记录待确认',
  wishes: '心愿完成待确认',
  leaves: '请假待批准',
  binds: '名册绑定待确认',
};

export const TODO_PAGES: Record<TodoItem, string> = {
  checkins: '/console/checkin-review/index',
  commitments: '/console/commitment-review/index',
  records: '/console/service-admin/index',
  wishes: '/console/service-admin/index',
  leaves: '/pages/activities/index',
  binds: '/console/join-poster/index',
};

export interface TodoCounts {
  branchId: string;
  items: Record<TodoItem, number>;
  total: number;
}
