import { useEffect, useRef, useState } from 'react';

/**
 * Seconds left until `deadline` (epoch ms, or null before there is one), re-rendering a few times a second.
 * Calls `onExpire` once when it reaches 0. Reads the clock rather than counting ticks, so a phone that paused the
 * page in the background shows the right time when it comes back.
 */
export function useCountdown(deadline: number | null, onExpire: () => void): number | null {
  const [now, setNow] = useState(() => Date.now());
  const expire = useRef(onExpire);
  expire.current = onExpire;

  useEffect(() => {
    if (deadline === null) return undefined;
    const tick = () => {
      const t = Date.now();
      setNow(t);
      if (t >= deadline) {
        clearInterval(timer);
        expire.current();
      }
    };
    const timer = setInterval(tick, 250);
    tick();
    return () => clearInterval(timer);
  }, [deadline]);

  return deadline === null ? null : Math.max(0, Math.ceil((deadline - now) / 1000));
}

/** 125 -> "02:05". */
export function formatClock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
