/**
 * How long a process may serve a shared view (the question bank's version, an org's name on a board row) from
 * memory before reading it again: the embedded engine serves a few thousand commands a second, so a value read by
 * every request is read once a second instead. Within one process a change made here clears it at once (the
 * caller's `forget`); with several processes, another one sees the change within this bound. A member's own
 * numbers (points, rank, their account) are never served from here.
 */
export const SHARED_VIEW_MS = 1000;

export interface SharedValue<K, V> {
  get(key: K): Promise<V>;
  /** This process made a change: the next get reads again. */
  forget(key: K): void;
}

/**
 * A value per key read at most once per SHARED_VIEW_MS, shared by concurrent callers (a burst of requests reads it
 * once); a failed read is not kept. Holds at most `max` keys (the oldest is dropped), so it cannot grow without end.
 */
export function sharedValue<K, V>(load: (key: K) => Promise<V>, max = 10_000): SharedValue<K, V> {
  const held = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(key) {
      const hit = held.get(key);
      if (hit && Date.now() - hit.at < SHARED_VIEW_MS) return hit.value;
      const value = load(key);
      held.delete(key);
      if (held.size >= max) held.delete(held.keys().next().value as K);
      held.set(key, { at: Date.now(), value });
      value.catch(() => held.get(key)?.value === value && held.delete(key));
      return value;
    },
    forget(key) {
      held.delete(key);
    },
  };
}
