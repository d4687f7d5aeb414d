import { requestAsSent, type Exchange, type ResponseRecord } from '../model/exchange';
import { headerValue } from '../model/headers';

// Shared wording for evidence lines, so every rule names times, requests and cookies the same way.

/** An epoch-ms time as ISO 8601 UTC without milliseconds. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A duration as `45 s`, `31 min` or `2 h 5 min`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(Math.max(0, ms) / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** `'login' (POST http://host/login) at 2024-05-01T10:00:00Z`: how evidence names an earlier request. */
export function describeExchange(exchange: Exchange): string {
  const sent = requestAsSent(exchange);
  const what = `${sent.method} ${sent.url}`;
  const named = exchange.request.name ? `'${exchange.request.name}' (${what})` : what;
  return `${named} at ${formatTime(exchange.startedAt)}`;
}

/** `JSESSIONID (localhost, Path=/app)`. */
export function cookieLabel(cookie: { readonly name: string; readonly domain: string; readonly path: string }): string {
  return `${cookie.name} (${cookie.domain}, Path=${cookie.path})`;
}

/** The response body as text. */
export function bodyText(response: ResponseRecord): string {
  return new TextDecoder().decode(response.body);
}

/**
 * A Spring error body: Boot's JSON error (`{"status":401,"error":"Unauthorized","message":…,"path":…}`), or
 * RFC 9457 problem details (`application/problem+json`: `title`, `detail`, `instance` read as error, message, path).
 */
export interface SpringErrorBody {
  readonly format: 'boot' | 'problem';
  readonly status?: number;
  readonly error?: string;
  readonly message?: string;
  readonly path?: string;
}

/** The server's error body, when the response carries one of Spring's two shapes. */
export function springErrorBody(response: ResponseRecord): SpringErrorBody | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText(response));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const body = parsed as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof body[key] === 'string' && body[key] !== '' ? (body[key] as string) : undefined);
  const status = typeof body.status === 'number' ? body.status : undefined;
  if (/^application\/problem\+json\b/i.test(headerValue(response.headers, 'Content-Type') ?? '')) {
    return { format: 'problem', status, error: text('title'), message: text('detail'), path: text('instance') };
  }
  if (status === undefined && text('error') === undefined) return undefined;
  return { format: 'boot', status, error: text('error'), message: text('message'), path: text('path') };
}

/** The server's error body quoted as one evidence line; undefined when there is none. */
export function springErrorEvidence(response: ResponseRecord): string | undefined {
  const body = springErrorBody(response);
  if (!body) return undefined;
  const [error, message, path] = body.format === 'problem' ? ['title', 'detail', 'instance'] : ['error', 'message', 'path'];
  const parts = [
    body.status !== undefined ? `status ${body.status}` : undefined,
    body.error !== undefined ? `${error} "${body.error}"` : undefined,
    body.message !== undefined ? `${message} "${body.message}"` : undefined,
    body.path !== undefined ? `${path} ${body.path}` : undefined,
  ].filter((part) => part !== undefined);
  return `${body.format === 'problem' ? "The server's problem details (application/problem+json) say" : "The server's error body says"}: ${parts.join(', ')}`;
}

/** Evidence lines without the absent ones, closed by the server's error body when there is one. */
export function withErrorBody(response: ResponseRecord, lines: readonly (string | undefined)[]): string[] {
  return [...lines, springErrorEvidence(response)].filter((line) => line !== undefined);
}
