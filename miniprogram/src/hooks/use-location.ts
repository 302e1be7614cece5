import { useCallback, useRef, useState } from 'react';
import { LocateError, locate, type Fix } from '../utils/location';

export interface LocationState {
  fix: Fix | undefined;
  error: LocateError | undefined;
  locating: boolean;
  /** Takes a fresh fix (keeps showing the previous one meanwhile); resolves to it, or undefined on failure. */
  relocate: () => Promise<Fix | undefined>;
}

/** The member's position, taken on demand; a superseded request's answer is dropped. */
export function useLocation(): LocationState {
  const [fix, setFix] = useState<Fix>();
  const [error, setError] = useState<LocateError>();
  const [locating, setLocating] = useState(false);
  const seq = useRef(0);

  const relocate = useCallback(async () => {
    const mine = ++seq.current;
    setLocating(true);
    setError(undefined);
    try {
      const next = await locate();
      if (mine === seq.current) setFix(next);
      return next;
    } catch (e) {
      if (mine === seq.current) setError(e instanceof LocateError ? e : new LocateError('unavailable'));
      return undefined;
    } finally {
      if (mine === seq.current) setLocating(false);
    }
  }, []);

  return { fix, error, locating, relocate };
}
