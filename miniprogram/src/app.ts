import { type PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
// NutUI styles: only for the components we use (the full sheet is 230 KB).
import '@nutui/nutui-react-taro/dist/es/packages/button/style/style.css';
import './app.scss';
import { WIDE_SCREEN_PX } from './hooks/use-wide-screen';
import { careModeOn, onCareModeChange } from './services/care-mode';
import { wirePrivacyAuthorization } from './services/privacy-prompt';
import { armPrivacyCheck } from './components/PrivacyPopup';
import { guardScriptLinks } from './utils/tabbar-links';

// H5: the rem base (1rem = 40px at the 750 design width, clamped to 20-40px: Taro's formula). Taro puts this in an
// inline <script> in index.html, which the server's Content-Security-Policy (script-src 'self') blocks, leaving
// every size 20% too small; so it runs here, from the bundle, before the first page renders.
if (process.env.TARO_ENV === 'h5') {
  const setRem = () => {
    const root = document.documentElement;
    const { width, height } = root.getBoundingClientRect();
    const w = Math.min(...[width, height].filter(Boolean));
    // A desk (>= WIDE_SCREEN_PX wide): the 750 design at a phone's scale (16 px text, 20 px headings), not twice it.
    root.style.fontSize = width >= WIDE_SCREEN_PX ? '20px' : `${Math.min(40, Math.max(20, (40 * w) / 750))}px`;
  };
  setRem();
  window.addEventListener('resize', () => {
    setRem();
    setTimeout(setRem, 500);
  });
}

// H5: Taro's tab bar links are `javascript:;` hrefs the CSP refuses on each tap; cancel that navigation (see there).
if (process.env.TARO_ENV === 'h5') guardScriptLinks(document);

// H5: 关怀模式 also on the root, for what sits outside every page (Taro's tab bar, app.scss).
if (process.env.TARO_ENV === 'h5') {
  const mark = (on: boolean) => document.documentElement.classList.toggle('care-mode', on);
  mark(careModeOn());
  onCareModeChange(mark);
}

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Session checks happen per page (PageContainer), so the app shell stays dumb. WeChat's privacy check opens
    // the popup every page mounts (issue 24).
    wirePrivacyAuthorization();
    armPrivacyCheck();
  });
  return children;
}

export default App;
