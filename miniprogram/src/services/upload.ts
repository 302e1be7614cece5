import Taro from '@tarojs/taro';
import { ApiError, NETWORK_ERROR_CODE, NETWORK_MESSAGE } from './api-error';
import { buildUrl, toApiError } from './request';
import { clearToken, getToken, goToLogin } from './session';

/**
 * A file the member picked: in H5 the browser's File (from <input type=file>), in the mini-program the temp path
 * that chooseMessageFile returned. `name` keeps the extension the server reads (.csv / .xlsx).
 */
export type UploadFile = { kind: 'blob'; blob: Blob; name: string } | { kind: 'path'; path: string; name: string };

export interface UploadOptions {
  /** Path under /api/v1. */
  path: string;
  file: UploadFile;
  /** Multipart field name. */
  field?: string;
  /** As in request(): no toast for server errors, the caller shows them. */
  quiet?: boolean;
  /** Longer than UPLOAD_TIMEOUT_MS for big files (a 200 MB video: VIDEO_RULES.uploadTimeoutMs). */
  timeoutMs?: number;
}

/** Uploads can be slow on village networks: longer than JSON calls. */
export const UPLOAD_TIMEOUT_MS = 60_000;

function toast(title: string): void {
  void Taro.showToast({ title, icon: 'none', duration: 2500 });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function sendH5(
  url: string,
  header: Record<string, string>,
  field: string,
  file: UploadFile,
  timeoutMs: number,
): Promise<{ status: number; data: unknown }> {
  if (file.kind !== 'blob') throw new Error('H5 uploads take a File');
  const form = new FormData();
  form.append(field, file.blob, file.name);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    // No Content-Type: the browser writes the multipart boundary itself.
    const res = await fetch(url, { method: 'POST', headers: header, body: form, signal: abort.signal });
    return { status: res.status, data: parseJson(await res.text()) };
  } finally {
    clearTimeout(timer);
  }
}

async function sendMini(
  url: string,
  header: Record<string, string>,
  field: string,
  file: UploadFile,
  timeoutMs: number,
): Promise<{ status: number; data: unknown }> {
  if (file.kind !== 'path') throw new Error('mini-program uploads take a temp file path');
  const res = await Taro.uploadFile({ url, filePath: file.path, name: field, header, timeout: timeoutMs });
  return { status: res.statusCode, data: parseJson(res.data) };
}

/**
 * The one multipart call (request() is JSON-only): same base URL, bearer token and error handling as request() —
 * `{ error: { code, message } }` -> ApiError, 401 -> clear token + login page, Chinese toasts. No retries: an
 * import is not idempotent on the server's side, and the member can simply pick the file again.
 */
export async function upload<T>(opts: UploadOptions): Promise<T> {
  const url = buildUrl(opts.path);
  const header: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) header.Authorization = `Bearer ${token}`;
  const field = opts.field ?? 'file';
  const timeoutMs = opts.timeoutMs ?? UPLOAD_TIMEOUT_MS;

  let res: { status: number; data: unknown };
  try {
    res =
      process.env.TARO_ENV === 'h5'
        ? await sendH5(url, header, field, opts.file, timeoutMs)
        : await sendMini(url, header, field, opts.file, timeoutMs);
  } catch {
    toast(NETWORK_MESSAGE);
    throw new ApiError(NETWORK_ERROR_CODE, NETWORK_MESSAGE, 0);
  }

  if (res.status >= 200 && res.status < 300) return res.data as T;
  const error = toApiError(res.status, res.data);
  if (res.status === 401) {
    clearToken();
    toast(error.message);
    goToLogin();
  } else if (!opts.quiet) {
    toast(error.message);
  }
  throw error;
}
