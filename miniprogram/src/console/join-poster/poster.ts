import type { JoinPoster } from '@pioneer/shared';
import { formatTime } from '../../utils/format';

/** The printable poster (H5): a 1240x1754 PNG (A4 at 150 dpi) with the branch name, the QR, the code and its expiry. */
export async function drawPosterPng(p: JoinPoster): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = 1240;
  canvas.height = 1754;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = '#C8161D';
  g.fillRect(0, 0, canvas.width, 260);
  g.textAlign = 'center';
  g.fillStyle = '#ffffff';
  g.font = 'bold 88px sans-serif';
  g.fillText('扫码加入党支部', 620, 170);
  g.fillStyle = '#222222';
  g.font = 'bold 72px sans-serif';
  g.fillText(p.branchName, 620, 400);
  const img = new Image();
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('qr'));
    img.src = p.qrPng;
  });
  g.drawImage(img, 270, 470, 700, 700);
  g.font = '56px sans-serif';
  g.fillText('邀请码', 620, 1290);
  g.font = 'bold 120px monospace';
  g.fillText(p.code, 620, 1430);
  g.font = '44px sans-serif';
  g.fillStyle = '#555555';
  g.fillText(`有效期至 ${formatTime(p.expiresAt)}`, 620, 1540);
  g.fillText('微信扫码，或在“先锋”首页输入邀请码', 620, 1620);
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
