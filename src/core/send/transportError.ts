import { HttpSessionError, type HttpSessionErrorCode } from '../errors';

const tlsCodes = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** The error codes along an error's cause chain (undici wraps Node's socket errors). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    // ProxyAgent tunnelling failures carry only a message.
    if (/\bproxy\b/i.test(current.message)) codes.push('PROXY');
  }
  return codes;
}

function classify(codes: readonly string[]): HttpSessionErrorCode {
  for (const code of codes) {
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'HS_CONNECT_TIMEOUT';
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'HS_TIMEOUT';
    if (code === 'ECONNREFUSED') return 'HS_CONNECT_REFUSED';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'HS_DNS';
    if (tlsCodes.test(code)) return 'HS_TLS';
    if (code === 'PROXY' || code === 'UND_ERR_PRX_TLS') return 'HS_PROXY';
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' || code === 'ECONNABORTED') return 'HS_CONNECTION_RESET';
    if (code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return 'HS_ABORTED';
  }
  return 'HS_TRANSPORT';
}

const messages: Record<HttpSessionErrorCode, (target: string) => string> = {
  HS_CONNECT_REFUSED: (t) => `Connection refused by ${t}: nothing is listening there.`,
  HS_CONNECT_TIMEOUT: (t) => `Could not connect to ${t} in time.`,
  HS_TIMEOUT: (t) => `${t} did not answer in time.`,
  HS_ABORTED: () => 'The request was cancelled.',
  HS_CONNECTION_RESET: (t) => `${t} closed the connection before the response was complete.`,
  HS_DNS: (t) => `The host name of ${t} could not be resolved.`,
  HS_TLS: (t) => `The TLS handshake with ${t} failed.`,
  HS_PROXY: (t) => `The proxy failed to reach ${t}.`,
  HS_TOO_MANY_REDIRECTS: () => 'Too many redirects.',
  HS_INVALID_URL: (t) => `Invalid URL: ${t}`,
  HS_UNRESOLVED_VARIABLE: () => 'Unresolved variable.',
  HS_TRANSPORT: (t) => `The request to ${t} failed.`,
  HS_COOKIE_REJECTED: () => 'The cookie jar refused the cookie.',
  HS_STATE: () => 'The stored session state could not be read.',
};

/** Turns whatever undici or Node threw into an HttpSessionError with a stable code; the original is the `cause`. */
export function toHttpSessionError(error: unknown, url: string): HttpSessionError {
  if (error instanceof HttpSessionError) return error;
  const code = classify(codesOf(error));
  let target = url;
  try {
    target = new URL(url).host;
  } catch {
    // keep the raw text
  }
  const detail = error instanceof Error && error.message ? ` (${error.message})` : '';
  return new HttpSessionError(code, messages[code](target) + detail, { cause: error });
}
