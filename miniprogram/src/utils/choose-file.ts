import Taro from '@tarojs/taro';
import type { UploadFile } from '../services/upload';

/**
 * Lets the member pick one file with one of `extensions` (without dots). H5: the browser's file dialog through a
 * hidden <input type=file>; mini-program: a file from a WeChat chat (the only file source WeChat offers).
 * Resolves null when the member cancels.
 */
export function chooseFile(extensions: readonly string[]): Promise<UploadFile | null> {
  if (process.env.TARO_ENV === 'h5') return chooseInBrowser(extensions);
  return Taro.chooseMessageFile({ count: 1, type: 'file', extension: [...extensions] }).then(
    (res) => {
      const f = res.tempFiles[0];
      return f ? { kind: 'path' as const, path: f.path, name: f.name } : null;
    },
    () => null, // cancelled
  );
}

function chooseInBrowser(extensions: readonly string[]): Promise<UploadFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = extensions.map((e) => `.${e}`).join(',');
    input.style.display = 'none';
    const done = (file: File | null) => {
      input.remove();
      resolve(file ? { kind: 'blob', blob: file, name: file.name } : null);
    };
    input.addEventListener('change', () => done(input.files?.[0] ?? null));
    input.addEventListener('cancel', () => done(null));
    // Attached, so the dialog opens in every browser (and automation sees a normal file chooser).
    document.body.appendChild(input);
    input.click();
  });
}
