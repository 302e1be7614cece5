/** Photo uploads (service records, wishes, 践诺 progress): one rule set for the server and the app. */
export const UPLOAD_RULES = {
  maxBytes: 5 * 1024 * 1024,
  /** Decided from the file's first bytes, never from its name or the Content-Type the client claims. */
  types: ['image/jpeg', 'image/png', 'image/webp'],
  field: 'file',
} as const;

export const UPLOAD_URL_PREFIX = '/api/v1/uploads/';

/**
 * What an uploaded photo's URL looks like: `/api/v1/uploads/<yyyy-mm>/<32 hex>.<ext>`. Bodies that carry photos
 * accept only these, so a record can never point at some other site.
 */
export const UPLOAD_URL_RE = /^\/api\/v1\/uploads\/\d{4}-\d{2}\/[a-f0-9]{32}\.(?:jpg|png|webp)$/;

/**
 * A stored picture as shown to others: our own upload URL, or null. Bodies accept nothing else now; this keeps a
 * value saved before that rule (an avatar on some other site: a tracking pixel) off boards, lists and walls.
 */
export function ownUploadUrl(url: string | null | undefined): string | null {
  return url && UPLOAD_URL_RE.test(url) ? url : null;
}
