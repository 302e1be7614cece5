import Taro from '@tarojs/taro';
import { ApiError } from './api-error';
import { request, serverUnavailableRecently, type Method } from './request';

/**
 * 弱网队列: writes made without a network (check-ins, activity sign-ins, quiz submissions) wait in storage, each with the
 * Idempotency-Key of the member's action (`Write` from services/api: the key its first send carried), and are sent
 * when the network returns. The server answers a repeated key with the first reply,
 * so a resend after a lost reply never doubles anything; here a single flush at a time sends each item once.
 */
export type QueuedKind = 'checkin' | 'quiz-submit' | 'activity-signin';

export interface QueuedWrite {
  /** Also the Idempotency-Key: the action's own, so a resend after a lost reply is the same write. */
  id: string;
  kind: QueuedKind;
  /** What the member sees while it waits, e.g. "驻村打卡 11月25日 09:02". */
  label: string;
  method: Method;
  path: string;
  body: unknown;
  queuedAt: string;
}

export const QUEUE_KEY = 'offlineQueue';
export const QUEUE_KIND_LABELS: Record<QueuedKind, string> = {
  checkin: '驻村打卡',
  'quiz-submit': '答题提交',
  'activity-signin': '活动签到',
};

const listeners = new Set<(items: QueuedWrite[]) => void>();

export function queuedWrites(): QueuedWrite[] {
  try {
    const raw = Taro.getStorageSync(QUEUE_KEY);
    return Array.isArray(raw) ? (raw as QueuedWrite[]) : [];
  } catch {
    return [];
  }
}

function save(items: QueuedWrite[]): void {
  Taro.setStorageSync(QUEUE_KEY, items);
  for (const fn of listeners) fn(items);
}

export function onQueueChange(fn: (items: QueuedWrite[]) => void): () => void {
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
  };
}

const newKey = () => `q-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export function enqueue(item: Omit<QueuedWrite, 'id' | 'queuedAt'> & { id?: string }): QueuedWrite {
  const full: QueuedWrite = { ...item, id: item.id ?? newKey(), queuedAt: new Date().toISOString() };
  save([...queuedWrites(), full]);
  // Kept because the server said "not now" (503): no network event will come, so try again by itself.
  if (serverUnavailableRecently()) retryLater();
  return full;
}

/**
 * After the server answered "not now" (503 while its database restarts, 429, another 5xx) the queue tries again by
 * itself, 5 s, then 10, 20, 40 and 60 s apart; without a network it waits for the network to come back instead.
 */
export const SERVER_RETRY_MS = [5_000, 10_000, 20_000, 40_000, 60_000];
let serverRetries = 0;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function retryLater(): void {
  if (retryTimer) return;
  const ms = SERVER_RETRY_MS[Math.min(serverRetries++, SERVER_RETRY_MS.length - 1)];
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void flushQueue();
  }, ms);
}

export interface FlushReport {
  sent: QueuedWrite[];
  /** Refused by the server (not a network failure): dropped, with its message, so the member can redo it. */
  refused: Array<{ item: QueuedWrite; message: string }>;
}

let flushing: Promise<FlushReport> | null = null;

/**
 * Sends what waits, oldest first; stops at the first failure worth retrying (no network, 429 "slow down", a 5xx
 * while the server restarts) and keeps that item (after a server's "not now", trying again later by itself).
 * Concurrent calls share one flush.
 */
export function flushQueue(): Promise<FlushReport> {
  if (!flushing) {
    flushing = (async () => {
      const report: FlushReport = { sent: [], refused: [] };
      for (const item of queuedWrites()) {
        try {
          await request({
            method: item.method,
            path: item.path,
            body: item.body,
            idempotencyKey: item.id,
            retries: 0,
            quiet: true,
            quietNetwork: true,
          });
          report.sent.push(item);
        } catch (e) {
          if (e instanceof ApiError && (e.isNetwork || e.status === 429 || e.status >= 500)) {
            if (e.status !== 0) retryLater();
            break;
          }
          report.refused.push({ item, message: e instanceof Error ? e.message : '提交失败' });
        }
        save(queuedWrites().filter((q) => q.id !== item.id));
      }
      if (queuedWrites().length === 0) serverRetries = 0;
      if (report.sent.length > 0) void Taro.showToast({ title: `已补交${report.sent.length}条离线记录`, icon: 'none' });
      else if (report.refused.length > 0) void Taro.showToast({ title: report.refused[0]!.message, icon: 'none' });
      return report;
    })().finally(() => {
      flushing = null;
    });
  }
  return flushing;
}

let started = false;

/** Flush now and whenever the network comes back (weapp: onNetworkStatusChange; H5: the window's online event). */
export function startOfflineSync(): void {
  if (started) return;
  started = true;
  const online = () => void flushQueue();
  if (process.env.TARO_ENV === 'h5' && typeof window !== 'undefined') window.addEventListener('online', online);
  else if (typeof Taro.onNetworkStatusChange === 'function')
    Taro.onNetworkStatusChange((r) => r.isConnected && online());
  if (queuedWrites().length > 0) online();
}

/** For tests. */
export function resetOfflineSync(): void {
  started = false;
  flushing = null;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  serverRetries = 0;
}
