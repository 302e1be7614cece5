/** An API failure as the app sees it: the server's stable code, its Chinese message and the HTTP status (0 = no reply). */
export class ApiError extends Error {
  readonly code: string
  readonly status: number

  constructor(code: string, message: string, status: number) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }

  get isNetwork(): boolean {
    return this.status === 0
  }
}

export const NETWORK_MESSAGE = '网络不给力，请稍后重试'
export const NETWORK_ERROR_CODE = 'NETWORK_ERROR'
