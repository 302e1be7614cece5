import Taro from '@tarojs/taro';
import type { JoinPoster } from '@pioneer/shared';
import { formatTime } from '../../utils/format';

/** A4 at 150 dpi. */
export const POSTER_W = 1240;
export const POSTER_H = 1754;

/** The 2D calls the poster uses: the browser's canvas and weapp's type="2d" canvas both have them. */
export type Pen = Pick<CanvasRenderingContext2D, 'fillStyle' | 'font' | 'textAlign' | 'fillRect' | 'fillText'> & {
  drawImage(image: unknown, x: number, y: number, w: number, h: number): void;
};

/** The printable poster: the branch name, the QR, the code and its expiry (H5 and weapp draw the same). */
export function paintPoster(g: Pen, qr: unknown, p: JoinPoster): void {
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, POSTER_W, POSTER_H);
  g.fillStyle = '#C8161D';
  g.fillRect(0, 0, POSTER_W, 260);
  g.textAlign = 'center';
  g.fillStyle = '#ffffff';
  g.font = 'bold 88px sans-serif';
  g.fillText('扫码加入党支部', 620, 170);
  g.fillStyle = '#222222';
  g.font = 'bold 72px sans-serif';
  g.fillText(p.branchName, 620, 400);
  g.drawImage(qr, 270, 470, 700, 700);
  g.font = '56px sans-serif';
  g.fillText('邀请码', 620, 1290);
  g.font = 'bold 120px monospace';
  g.fillText(p.code, 620, 1430);
  g.font = '44px sans-serif';
  g.fillStyle = '#555555';
  g.fillText(`有效期至 ${formatTime(p.expiresAt)}`, 620, 1540);
  g.fillText('微信扫码，或在“先锋”首页输入邀请码', 620, 1620);
}

const loaded = (img: { onload: unknown; onerror: unknown; src: string }, src: string) =>
  new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('二维码图片加载失败'));
    img.src = src;
  });

/** H5: the poster as a PNG data URL. */
export async function drawPosterPng(p: JoinPoster): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = POSTER_W;
  canvas.height = POSTER_H;
  const img = new Image();
  await loaded(img, p.qrPng);
  paintPoster(canvas.getContext('2d')!, img, p);
  return canvas.toDataURL('image/png');
}

export function savePng(dataUrl: string, name: string): void {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** weapp's type="2d" canvas node, as far as the poster uses it. */
interface CanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): unknown;
  createImage(): { onload: unknown; onerror: unknown; src: string };
}

/** The QR (a PNG data URL) as a file of the mini-program: a canvas image loads a file path everywhere. */
function qrFile(p: JoinPoster): Promise<string> {
  const filePath = `${Taro.env.USER_DATA_PATH}/join-qr-${p.code}.png`;
  return new Promise((resolve, reject) =>
    Taro.getFileSystemManager().writeFile({
      filePath,
      data: p.qrPng.replace(/^data:image\/\w+;base64,/, ''),
      encoding: 'base64',
      success: () => resolve(filePath),
      fail: (e) => reject(new Error(e.errMsg)),
    }),
  );
}

/**
 * weapp: the same poster drawn on the page's hidden `<Canvas type="2d" id={canvasId}>`, turned into an image file
 * (canvasToTempFilePath) and saved to the phone's album (the first time WeChat asks the user to allow it).
 */
export async function savePosterToAlbum(p: JoinPoster, canvasId: string): Promise<void> {
  const canvas = await new Promise<CanvasNode>((resolve, reject) =>
    Taro.createSelectorQuery()
      .select(`#${canvasId}`)
      .fields({ node: true, size: true })
      .exec((res: Array<{ node?: CanvasNode } | null>) =>
        res[0]?.node ? resolve(res[0].node) : reject(new Error('海报画布未就绪，请重试')),
      ),
  );
  canvas.width = POSTER_W;
  canvas.height = POSTER_H;
  const qr = canvas.createImage();
  await loaded(qr, await qrFile(p));
  paintPoster(canvas.getContext('2d') as Pen, qr, p);
  const { tempFilePath } = await Taro.canvasToTempFilePath({
    canvas,
    destWidth: POSTER_W,
    destHeight: POSTER_H,
  } as unknown as Taro.canvasToTempFilePath.Option);
  await Taro.saveImageToPhotosAlbum({ filePath: tempFilePath });
}
