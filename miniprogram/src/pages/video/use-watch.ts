import { useCallback, useEffect, useRef, useState } from 'react';
import Taro, { useDidHide, useDidShow } from '@tarojs/taro';
import { VIDEO_RULES, type WatchSession } from '@pioneer/shared/src/study-video';
import { beatWatch, openWatch, pauseWatch } from '../../services/study-api';

/**
 * A watching of the video for the page's life. While the player plays and the page is in front, it beats every
 * VIDEO_RULES.beatSeconds; playing again beats at once (the server starts counting then); pausing, the end, the
 * page hidden (H5 visibilitychange, weapp onHide) or left pause it. The server credits only its own clock between
 * beats, so this hook only reports; `session` is what the server counted.
 */
export function useWatch(videoId: string, enabled: boolean) {
  const [session, setSession] = useState<WatchSession | null>(null);
  const [playing, setPlaying] = useState(false);
  const [visible, setVisible] = useState(true);
  const idRef = useRef<string | null>(null);
  const position = useRef(0);

  useEffect(() => {
    if (!enabled || !videoId) return;
    let gone = false;
    idRef.current = null;
    setSession(null);
    void openWatch(videoId).then(
      (s) => {
        if (gone) return;
        idRef.current = s.id;
        setSession(s);
      },
      (e: Error) => void Taro.showToast({ title: e.message, icon: 'none' }),
    );
    return () => {
      gone = true;
      if (idRef.current) void pauseWatch(idRef.current, position.current).catch(() => undefined);
    };
  }, [videoId, enabled]);

  const send = useCallback((kind: 'beat' | 'pause') => {
    const id = idRef.current;
    if (!id) return;
    const call = kind === 'beat' ? beatWatch(id, position.current) : pauseWatch(id, position.current);
    // A refused beat (too soon after the last) changes nothing: the next one counts the time.
    void call.then(setSession, () => undefined);
  }, []);

  const counting = playing && visible && session !== null && !session.completed;
  useEffect(() => {
    if (!counting) return;
    send('beat');
    const timer = setInterval(() => send('beat'), VIDEO_RULES.beatSeconds * 1000);
    return () => {
      clearInterval(timer);
      send('pause');
    };
  }, [counting, send]);

  useDidHide(() => setVisible(false));
  useDidShow(() => setVisible(true));
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5' || typeof document === 'undefined') return;
    const onChange = () => setVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  return {
    session,
    setSession,
    visible,
    playing,
    setPlaying,
    setPosition: (p: number) => void (position.current = p),
  };
}
