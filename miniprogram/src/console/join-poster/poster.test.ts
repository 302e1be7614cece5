import Taro from '@tarojs/taro';
import { POSTER_H, POSTER_W, savePosterToAlbum } from './poster';

/**
 * weapp saves the join poster to the album. WeChat's canvas, file system and album cannot run here: they stand in
 * as recorders, and the test checks the steps and what is handed to them.
 */
const poster = {
  code: 'ABCD2345',
  branchName: '红旗村党支部',
  expiresAt: '2026-12-29T08:00:00.000Z',
  qrPng: 'data:image/png;base64,QUJD',
  joinUrl: 'http://x/#/pages/join/index?code=ABCD2345',
};

function weapp(node: unknown) {
  const calls: string[] = [];
  const pen = new Proxy(
    {},
    {
      get:
        (_t, k) =>
        (...args: unknown[]) =>
          calls.push(`${String(k)}(${args.map((a) => (typeof a === 'object' ? 'img' : a)).join(',')})`),
      set: (_t, k, v) => (calls.push(`${String(k)}=${v}`), true),
    },
  );
  const image = { onload: null as null | (() => void), onerror: null, src: '' };
  const canvas = node === 'canvas' ? { width: 0, height: 0, getContext: () => pen, createImage: () => image } : null;
  Object.defineProperty(image, 'src', { set: (v: string) => (calls.push(`img.src=${v}`), image.onload?.()) });
  const t = Taro as unknown as Record<string, unknown>;
  t.env = { USER_DATA_PATH: 'wxfile://usr' };
  t.getFileSystemManager = () => ({
    writeFile: (o: { filePath: string; data: string; encoding: string; success: () => void }) => {
      calls.push(`writeFile(${o.filePath},${o.data},${o.encoding})`);
      o.success();
    },
  });
  t.createSelectorQuery = () => ({
    select: (sel: string) => ({
      fields: () => ({
        exec: (cb: (r: unknown[]) => void) => (calls.push(`select(${sel})`), cb([canvas ? { node: canvas } : null])),
      }),
    }),
  });
  t.canvasToTempFilePath = jest.fn(async (o: { canvas: unknown; destWidth: number }) => {
    calls.push(`toFile(${o.canvas === canvas},${o.destWidth})`);
    return { tempFilePath: 'wxfile://tmp/poster.png' };
  });
  t.saveImageToPhotosAlbum = jest.fn(async (o: { filePath: string }) => void calls.push(`album(${o.filePath})`));
  return { calls, canvas };
}

describe('入党码 poster in weapp', () => {
  it('draws the A4 poster on the page canvas with the QR from a file, makes it an image and saves it to the album', async () => {
    const { calls, canvas } = weapp('canvas');
    await savePosterToAlbum(poster, 'jp-canvas');
    expect(canvas).toMatchObject({ width: POSTER_W, height: POSTER_H });
    expect(calls[0]).toBe('select(#jp-canvas)');
    expect(calls).toContain('writeFile(wxfile://usr/join-qr-ABCD2345.png,QUJD,base64)');
    expect(calls).toContain('img.src=wxfile://usr/join-qr-ABCD2345.png');
    expect(calls).toContain('fillText(红旗村党支部,620,400)');
    expect(calls).toContain('fillText(ABCD2345,620,1430)');
    expect(calls).toContain('drawImage(img,270,470,700,700)');
    expect(calls.slice(-2)).toEqual([`toFile(true,${POSTER_W})`, 'album(wxfile://tmp/poster.png)']);
  });

  it('without the canvas on the page nothing is saved and the error says so', async () => {
    const { calls } = weapp(null);
    await expect(savePosterToAlbum(poster, 'jp-canvas')).rejects.toThrow('海报画布未就绪');
    expect(calls.some((c) => c.startsWith('album'))).toBe(false);
  });
});
