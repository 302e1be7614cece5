/**
 * Documents with a grouped write queued or on its way (db/grouped-marks.ts queues), counted by key: a key queued twice
 * counts twice, and is done when both writes have landed. A reader of such a document on this process writes the
 * queue first (read-your-writes); others wait for nothing. Users: check-in month lines, cadres' last fixes, members'
 * claim lists.
 */
export interface PendingKeys {
  add(key: string): void;
  /** The writes of these keys landed (one each). */
  done(keys: Iterable<string>): void;
  has(key: string): boolean;
}

export function pendingKeys(): PendingKeys {
  const counts = new Map<string, number>();
  return {
    add: (key) => void counts.set(key, (counts.get(key) ?? 0) + 1),
    done(keys) {
      for (const key of keys) {
        const left = (counts.get(key) ?? 1) - 1;
        if (left > 0) counts.set(key, left);
        else counts.delete(key);
      }
    },
    has: (key) => counts.has(key),
  };
}
