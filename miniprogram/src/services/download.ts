import Taro from '@tarojs/taro';
import { ApiError, NETWORK_ERROR_CODE, NETWORK_MESSAGE } from './api-error';
import { toApiError } from './request';
import { clearToken, getToken, goToLogin } from './session';

/** Exports can take a while on a village network. */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

function authHeader(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function fail(status: number, data: unknown): never {
  const error = toApiError(status, data);
  if (status === 401) {
    clearToken();
    goToLogin();
  }
  throw error;
}

/** `filename*=UTF-8''…` (RFC 6266) when the server sent one. */
export function filenameFrom(disposition: string | null | undefined, fallback: string): string {
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  if (!m) return fallback;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return fallback;
  }
}

/** H5: fetch with the bearer token (a plain link cannot carry it), then save the blob under the server's name. */
async function downloadH5(url: string, fallbackName: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { headers: authHeader(), signal: AbortSignal.timeout?.(DOWNLOAD_TIMEOUT_MS) });
  } catch {
    throw new ApiError(NETWORK_ERROR_CODE, NETWORK_MESSAGE, 0);
  }
  if (!res.ok) fail(res.status, await res.json().catch(() => null));
  const name = filenameFrom(res.headers.get('content-disposition'), fallbackName);
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}

/** What WeChat opens the file with: its document viewer by type, or the picture previewer. */
export type DownloadKind = 'xlsx' | 'pdf' | 'docx' | 'image';

/** WeChat: download to a temp file, then open it (Excel files open in WeChat's viewer, with 转发/保存 in its menu). */
async function downloadWeapp(url: string, fallbackName: string, kind: DownloadKind): Promise<string> {
  let res: Taro.downloadFile.FileSuccessCallbackResult;
  try {
    res = await Taro.downloadFile({ url, header: authHeader(), timeout: DOWNLOAD_TIMEOUT_MS });
  } catch {
    throw new ApiError(NETWORK_ERROR_CODE, NETWORK_MESSAGE, 0);
  }
  if (res.statusCode < 200 || res.statusCode >= 300) fail(res.statusCode, null);
  if (kind === 'image') await Taro.previewImage({ urls: [res.tempFilePath] });
  else await Taro.openDocument({ filePath: res.tempFilePath, fileType: kind, showMenu: true });
  return fallbackName;
}

/** Downloads an export (CSV or XLSX in H5; XLSX in WeChat, which cannot open CSV). Returns the file's name. */
export function downloadFile(url: string, fallbackName: string, kind: DownloadKind = 'xlsx'): Promise<string> {
  return process.env.TARO_ENV === 'h5' ? downloadH5(url, fallbackName) : downloadWeapp(url, fallbackName, kind);
}
