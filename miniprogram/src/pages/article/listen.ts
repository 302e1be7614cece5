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
 * Text cut for the 同声传译 plugin, whose textToSpeech takes a short text per call: at sentence ends where it can,
 * never over `max` characters.
 */
export function speechChunks(text: string, max = 200): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const cut = Math.max(rest.lastIndexOf('。', max), rest.lastIndexOf('；', max), rest.lastIndexOf('，', max));
    const at = cut > max / 2 ? cut + 1 : max;
    out.push(rest.slice(0, at));
    rest = rest.slice(at);
  }
  if (rest.trim()) out.push(rest);
  return out;
}

interface WechatSI {
  textToSpeech(opts: {
    lang: 'zh_CN';
    tts: true;
    content: string;
    success: (r: { filename: string }) => void;
    fail: (e: unknown) => void;
  }): void;
}

declare const requirePlugin: ((name: string) => unknown) | undefined;

/** WeChat's 同声传译 plugin when the build declared it (app.config.ts, WECHAT_SI_PLUGIN=1) and WeChat loaded it. */
function speechPlugin(): WechatSI | null {
  if (process.env.TARO_ENV !== 'weapp' || typeof requirePlugin !== 'function') return null;
  try {
    return requirePlugin('WechatSI') as WechatSI;
  } catch {
    // Not declared in app.json, or not added to this AppID in 微信公众平台 (插件管理): the reader says so.
    return null;
  }
}

/** Weapp: each chunk synthesized by the plugin and played in turn by one InnerAudioContext; `onEnd` after the last. */
function readAloudWeapp(plugin: WechatSI, text: string, onEnd: () => void): () => void {
  const chunks = speechChunks(text);
  const audio = Taro.createInnerAudioContext();
  let stopped = false;
  let index = 0;
  const playNext = () => {
    if (stopped) return;
    if (index >= chunks.length) return onEnd();
    plugin.textToSpeech({
      lang: 'zh_CN',
      tts: true,
      content: chunks[index++]!,
      success: (r) => {
        if (stopped) return;
        audio.src = r.filename;
        audio.play();
      },
      fail: () => void Taro.showToast({ title: '朗读失败，请稍后再试', icon: 'none' }),
    });
  };
  audio.onEnded(playNext);
  playNext();
  return () => {
    stopped = true;
    audio.stop();
    audio.destroy();
  };
}

/**
 * 听文章: in H5 the browser's speechSynthesis (zh-CN). In the mini-program, WeChat's 同声传译 plugin (WechatSI:
 * textToSpeech gives an audio file, played by an InnerAudioContext) — a plugin has to be added to the AppID in
 * 微信公众平台 before app.json may declare it (a declared plugin the AppID lacks stops the whole mini-program from
 * loading), so the build declares it only with WECHAT_SI_PLUGIN=1 and the reader says when it is missing.
 * `onEnd` runs when the voice reached the end: listening to the end counts as reading it.
 */
export function readAloud(html: string, onEnd: () => void): (() => void) | null {
  if (process.env.TARO_ENV !== 'h5') {
    const plugin = speechPlugin();
    if (plugin) return readAloudWeapp(plugin, speakableText(html), onEnd);
    void Taro.showToast({ title: '当前版本暂不支持朗读', icon: 'none' });
    return null;
  }
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  if (!synth) {
    void Taro.showToast({ title: '当前浏览器不支持朗读', icon: 'none' });
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
