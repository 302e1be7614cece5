import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import type { ReadingSession } from '@pioneer/shared';
import { openReading, pauseReading, resumeReading } from '../../services/study-api';

/**
 * A reading session for the page's life: opened on the server when the article is shown, paused when the page goes
 * to the background (H5: document.visibilitychange; weapp: the page's onHide, as Taro's useDidHide) or is left,
 * resumed when it is in front again. The server's clock decides what counts; `seconds` is only the page's own
 * count for the reader, ticking while the page is in front.
 */
export function useReading(articleId: string, enabled: boolean) {
  const [session, setSession] = useState<ReadingSession | null>(null);
  const [seconds, setSeconds] = useState(0);
  const [visible, setVisible] = useState(true);
  const idRef = useRef<string | null>(null);
  const shownRef = useRef(true);

  useEffect(() => {
    if (!enabled || !articleId) return;
    let gone = false;
    // A page opened again (Taro may keep its instance) must not count on the last session while the new one opens.
    idRef.current = null;
    setSession(null);
    setSeconds(0);
    void openReading(articleId).then(
      (s) => {
        if (gone) return void pauseReading(s.id).catch(() => undefined);
        idRef.current = s.id;
        setSession(s);
        // Hidden while the session was being opened: the server started its clock, so stop it at once (seen in the
        // e2e: a hidden page's new session counted a whole hidden hour).
        if (!shownRef.current) void pauseReading(s.id).catch(() => undefined);
      },
      (e: Error) => void Taro.showToast({ title: e.message, icon: 'none' }),
    );
    return () => {
      gone = true;
      // Leaving the page stops the clock: a session left behind counts nothing more.
      if (idRef.current) void pauseReading(idRef.current).catch(() => undefined);
    };
  }, [articleId, enabled]);

  const setShown = useCallback((shown: boolean) => {
    shownRef.current = shown;
    setVisible(shown);
    const id = idRef.current;
    if (!id) return;
    void (shown ? resumeReading(id) : pauseReading(id)).catch(() => undefined);
  }, []);
  useDidHide(() => setShown(false));
  useDidShow(() => setShown(true));
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return;
    const onChange = () => setShown(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, [setShown]);

  const running = session !== null && !session.completed && visible;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setSeconds((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [running]);

  return { session, setSession, seconds, visible };
}
