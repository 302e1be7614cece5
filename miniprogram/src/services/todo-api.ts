/** The secretary's 待办 (issue 15): one key-read endpoint; types from shared/. */
import type { TodoCounts } from '@pioneer/shared';
import { request } from './request';

export const getTodo = () => request<TodoCounts>({ path: '/todo', quiet: true });
