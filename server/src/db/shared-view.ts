/**
 * How long a process may serve a shared view (the question bank's version, an org's name on a board row, a scope's
 * histograms and top boards) from memory before reading it again: the embedded engine serves a few thousand
 * commands a second, so a value read by every request is read once per bound instead. Within one process a change
 * made here clears it at once where the caller says so (`forget`); with several processes, another one sees the
 * change within the bound. A member's own numbers (points, rank, their account) are never served from here.
 * `config.sharedViewMs` sets the bound (at most 2 s); SHARED_VIEW_MS is the default.
 */
export const SHARED_VIEW_MS = 1000;
let boundMs = SHARED_VIEW_MS;

/** Set once at start-up from the configuration. */
export function setSharedViewMs(ms: number): void {
  boundMs = ms;
}

export function sharedViewMs(): number {
  return boundMs;
}

export interface SharedValue<K, V> {
  get(key: K): Promise<V>;
  /** The value and when it was read (the `asOf` a reply that may be stale says). */
  read(key: K): Promise<{ value: V; asOf: Date }>;
  /** The value when one read within the bound is held, without reading. */
  held(key: K): Promise<V> | undefined;
  /** A value this process has just read or written (a findAndModify's reply): held as if read now. */
  put(key: K, value: V): void;
  /** This process made a change: the next get reads again. */
  forget(key: K): void;
  /** This process rewrote every value (a rebuild): every next get reads again. */
  clear(): void;
}

/**
 * How many bounds a write-side view may be held: a value an award only uses to decide something whose stale answer
 * errs safe (a board's floor, which only rises: a stale one writes a row a trim cuts later, never drops one) or that
 * is a snapshot anyway (an org's name on a new board row, which keeps the name of its day). 60 s at the default
 * bound; 0 stays 0 (views off).
 */
export const WRITE_SIDE_BOUNDS = 60;

/**
 * A value per key read at most once per bound (`bounds` of them for a write-side view), shared by concurrent callers
 * (a burst of requests reads it once); a failed read is not kept. Holds at most `max` keys (the oldest is dropped),
 * so it cannot grow without end.
 */
export function sharedValue<K, V>(load: (key: K) => Promise<V>, max = 10_000, bounds = 1): SharedValue<K, V> {
  const held = new Map<K, { at: number; value: Promise<V> }>();
  const fresh = (key: K) => {
    const hit = held.get(key);
    return hit && Date.now() - hit.at < boundMs * bounds ? hit : undefined;
  };
  function keep(key: K, value: Promise<V>) {
    const kept = { at: Date.now(), value };
    held.delete(key);
    if (held.size >= max) held.delete(held.keys().next().value as K);
    held.set(key, kept);
    return kept;
  }
  function entry(key: K) {
    const hit = fresh(key);
    if (hit) return hit;
    const kept = keep(key, load(key));
    kept.value.catch(() => held.get(key) === kept && held.delete(key));
    return kept;
  }
  return {
    get: (key) => entry(key).value,
    held: (key) => fresh(key)?.value,
    put: (key, value) => void keep(key, Promise.resolve(value)),
    async read(key) {
      const { at, value } = entry(key);
      return { value: await value, asOf: new Date(at) };
    },
    forget(key) {
      held.delete(key);
    },
    clear() {
      held.clear();
    },
  };
}
