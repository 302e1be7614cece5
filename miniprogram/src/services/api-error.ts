/** An API failure as the app sees it: the server's stable code, its Chinese message and the HTTP status (0 = no reply). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string, status: number) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }

  /**
   * No usable reply: the network failed (status 0), or the server said it is briefly away (503: its database
   * restarting; nothing was written, Retry-After says when to come back). Either way it is an offline moment: a
   * write is kept in the offline queue and sent later, not shown as refused.
   */
  get isNetwork(): boolean {
    return this.status === 0 || this.status === 503;
  }
}

export const NETWORK_MESSAGE = '网络不给力，请稍后重试';
export const NETWORK_ERROR_CODE = 'NETWORK_ERROR';
