import Taro from '@tarojs/taro';

/** The article's words for a voice: tags dropped, the few entities the sanitizer writes turned back. */
export function speakableText(html: string): string {
  return html
    .replace(/<\/(p|h[2-4]|li|blockquote)>/g, '。')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/。+/g, '。')
    .trim();
}

/**
 * 听文章: in H5 the browser's speechSynthesis (zh-CN). In the mini-program there is no speech API of WeChat's own:
 * the plan is WeChat's 同声传译 plugin (WechatSI, textToSpeech gives an audio URL played by an InnerAudioContext),
 * which needs the plugin declared in app.json and approved for the AppID, so until then the weapp says so.
 * `onEnd` runs when the voice reached the end: listening to the end counts as reading it.
 */
export function readAloud(html: string, onEnd: () => void): (() => void) | null {
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  if (process.env.TARO_ENV !== 'h5' || !synth) {
    void Taro.showToast({ title: '当前环境暂不支持朗读', icon: 'none' });
    return null;
  }
  synth.cancel();
  const utterance = new SpeechSynthesisUtterance(speakableText(html));
  utterance.lang = 'zh-CN';
  utterance.rate = 0.9;
  utterance.onend = onEnd;
  synth.speak(utterance);
  return () => synth.cancel();
}
