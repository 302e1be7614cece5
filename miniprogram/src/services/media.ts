/**
 * Uploaded photos come back as `/api/v1/uploads/...`: same origin in H5, but the mini-program needs the API host
 * in front (an <Image> has no base URL). They are served without a session (see the server's uploads routes).
 */
const apiBase: string = typeof API_BASE === 'string' ? API_BASE : '';

export function mediaUrl(url: string): string {
  return url.startsWith('/') ? `${apiBase}${url}` : url;
}
