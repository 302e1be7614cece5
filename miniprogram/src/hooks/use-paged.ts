import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../services/api-error';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursor pagination: first page on mount (when enabled), then `loadMore()` appends until nextCursor is null. */
export function usePaged<T>(fetchPage: (cursor: string | null) => Promise<Page<T>>, enabled = true) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<ApiError>();
  const [loaded, setLoaded] = useState(false);
  const busy = useRef(false);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback(async (from: string | null, replace: boolean) => {
    if (busy.current) return;
    busy.current = true;
    setLoading(true);
    setError(undefined);
    try {
      const page = await fetchRef.current(from);
      setItems((prev) => (replace ? page.items : [...prev, ...page.items]));
      setCursor(page.nextCursor);
      setDone(page.nextCursor === null);
      setLoaded(true);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('CLIENT_ERROR', '出了点问题，请稍后重试', 0));
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, []);

  const reload = useCallback(() => load(null, true), [load]);
  const loadMore = useCallback(() => {
    if (!done && cursor !== null) void load(cursor, false);
  }, [cursor, done, load]);

  useEffect(() => {
    if (enabled) void reload();
  }, [enabled, reload]);

  return { items, loading, error, loaded, done, reload, loadMore };
}
