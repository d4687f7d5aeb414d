/** Stable error codes the core throws; adapters turn them into actionable text. */
export type HttpSessionErrorCode =
  | 'HS_CONNECT_REFUSED'
  | 'HS_CONNECT_TIMEOUT'
  | 'HS_TIMEOUT'
  | 'HS_ABORTED'
  | 'HS_CONNECTION_RESET'
  | 'HS_DNS'
  | 'HS_TLS'
  | 'HS_PROXY'
  | 'HS_TOO_MANY_REDIRECTS'
  | 'HS_INVALID_URL'
  | 'HS_UNRESOLVED_VARIABLE'
  | 'HS_TRANSPORT'
  /** A cookie set by hand was refused by the jar's own rules. */
  | 'HS_COOKIE_REJECTED'
  /** Stored session state was unreadable or foreign; it was set aside. */
  | 'HS_STATE';

/** An error's stack (or message) for a log line. */
export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/** An error with a stable `code` and the underlying `cause`. */
export class HttpSessionError extends Error {
  constructor(
    readonly code: HttpSessionErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HttpSessionError';
  }
}
