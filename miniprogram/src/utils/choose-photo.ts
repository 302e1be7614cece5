import Taro from '@tarojs/taro';
import type { UploadFile } from '../services/upload';
import { chooseFile } from './choose-file';

export const PHOTO_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp'] as const;

/**
 * One photo from the album or the camera. Mini-program: chooseImage (compressed, so village networks cope);
 * H5: the browser's file dialog (which offers the camera on phones). Resolves null when the member cancels.
 */
export function choosePhoto(): Promise<UploadFile | null> {
  if (process.env.TARO_ENV === 'h5') return chooseFile(PHOTO_EXTENSIONS);
  return Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['album', 'camera'] }).then(
    (res) => {
      const path = res.tempFilePaths[0];
      return path ? { kind: 'path' as const, path, name: path.split('/').pop() ?? 'photo.jpg' } : null;
    },
    () => null, // cancelled
  );
}
