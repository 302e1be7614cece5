// Renders the tab bar icons (weapp needs PNG files; H5 shows broken images without them).
// Run once after changing a shape: `node miniprogram/scripts/tabbar-icons.js` (needs /usr/bin/chromium).
const path = require('node:path');
const { chromium } = require('playwright-core');

const OUT = path.join(__dirname, '../src/assets/tabbar');
const COLORS = { normal: '#555555', active: '#C8161D' };
const SIZE = 81;

// 48x48 line icons; `c` is the stroke colour.
const ICONS = {
  home: (
    c,
  ) => `<path d="M6 22 L24 7 L42 22" fill="none" stroke="${c}" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>
    <path d="M11 19 V41 H37 V19" fill="none" stroke="${c}" stroke-width="4" stroke-linejoin="round"/>
    <rect x="20" y="28" width="8" height="13" fill="${c}"/>`,
  study: (
    c,
  ) => `<path d="M24 12 C18 8 11 8 5 10 V39 C11 37 18 37 24 41 C30 37 37 37 43 39 V10 C37 8 30 8 24 12 Z" fill="none" stroke="${c}" stroke-width="4" stroke-linejoin="round"/>
    <path d="M24 12 V40" stroke="${c}" stroke-width="4"/>`,
  service: (c) =>
    `<path d="M24 41 C12 32 5 25 5 17 C5 11 10 7 15 7 C19 7 22 9 24 12 C26 9 29 7 33 7 C38 7 43 11 43 17 C43 25 36 32 24 41 Z" fill="none" stroke="${c}" stroke-width="4" stroke-linejoin="round"/>`,
  identity: (c) =>
    `<path d="M24 5 L29.5 17 L42.5 18.3 L32.7 27 L35.6 40 L24 33.3 L12.4 40 L15.3 27 L5.5 18.3 L18.5 17 Z" fill="none" stroke="${c}" stroke-width="4" stroke-linejoin="round"/>`,
  mine: (c) => `<circle cx="24" cy="16" r="9" fill="none" stroke="${c}" stroke-width="4"/>
    <path d="M7 42 C8 32 15 27 24 27 C33 27 40 32 41 42" fill="none" stroke="${c}" stroke-width="4" stroke-linecap="round"/>`,
};

(async () => {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  for (const [name, draw] of Object.entries(ICONS)) {
    for (const [state, color] of Object.entries(COLORS)) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 48 48">${draw(color)}</svg>`;
      await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
      const file = path.join(OUT, `${name}${state === 'active' ? '-active' : ''}.png`);
      await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
      console.log(file);
    }
  }
  await browser.close();
})();
