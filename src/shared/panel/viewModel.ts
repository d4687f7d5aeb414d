import type { SessionCookieLifecycle } from '../../core/model/exchange';
import type { TokenEvent } from '../../core/model/tokenEvent';
import { tokenHistories } from '../../core/auth/tokenHistory';
import type { RenderedSummary, WireExchange } from '../protocol';
import { formatBytes, formatDuration } from './format';
import { statusClass, statusLine, type StatusClass } from './statusPhrase';

export interface StatusView {
  /** "200 OK", or the error code ("UND_ERR_CONNECT_TIMEOUT") when no response came. */
  readonly statusText: string;
  readonly statusClass: StatusClass;
  readonly timeText: string;
  /** "1.5 KB"; "(truncated)", with "of 2.0 MB" when the history kept less; "(300 B on the wire)" when it came compressed. */
  readonly sizeText: string;
  readonly connectionText: 'New connection' | 'Reused connection';
  readonly errorMessage?: string;
}

export function statusView(exchange: WireExchange): StatusView {
  const response = exchange.response;
  const connectionText = exchange.connectionReused ? 'Reused connection' : 'New connection';
  const timeText = formatDuration(exchange.timings.totalMs);
  if (!response) {
    return {
      statusText: exchange.error?.code ?? 'No response',
      statusClass: 'error',
      timeText,
      sizeText: '—',
      connectionText,
      errorMessage: exchange.error?.message,
    };
  }
  const cut = response.heldBytes < response.bodySize;
  const size = cut ? `${formatBytes(response.heldBytes)} of ${formatBytes(response.bodySize)}` : formatBytes(response.bodySize);
  const wire = response.encodedBodySize !== undefined ? ` (${formatBytes(response.encodedBodySize)} on the wire)` : '';
  const sizeText = `${size}${cut || response.truncated ? ' (truncated)' : ''}${wire}`;
  return { statusText: statusLine(response.status, response.statusText), statusClass: statusClass(response.status), timeText, sizeText, connectionText };
}

export function summaryCounts(exchange: WireExchange, lifecycles: readonly SessionCookieLifecycle[], tokenEvents: readonly TokenEvent[]): RenderedSummary['counts'] {
  return {
    requestHeaders: exchange.request.headers.length,
    responseHeaders: exchange.response?.headers.length ?? 0,
    cookiesSent: exchange.cookies.sent.length,
    cookiesStored: exchange.cookies.stored.length,
    cookiesRejected: exchange.cookies.rejected.length,
    redirects: exchange.redirects.length,
    sessionCookies: lifecycles.length,
    sessionEvents: lifecycles.reduce((total, l) => total + l.events.length, 0),
    tokens: tokenHistories(tokenEvents).length,
    tokenEvents: tokenEvents.length,
    findings: exchange.findings.length,
    tests: exchange.tests?.length ?? 0,
    testsFailed: exchange.tests?.filter((test) => !test.passed).length ?? 0,
    scriptLogLines: exchange.scriptLog?.length ?? 0,
  };
}

/** "Why 401?" for findings on a 401, "Why 403?" on a 403, else "Findings". */
export function findingsTitle(status: number | undefined): string {
  return status === 401 || status === 403 ? `Why ${status}?` : 'Findings';
}

/** Label of a history entry: "12:03:14  POST login → 302". */
export function historyLabel(
  exchange: { readonly request: { readonly name?: string; readonly method: string; readonly url: string }; readonly response?: { readonly status: number }; readonly error?: { readonly code: string } },
  clock: string,
): string {
  const name = exchange.request.name ?? shortPath(exchange.request.url);
  const outcome = exchange.response ? String(exchange.response.status) : (exchange.error?.code ?? 'error');
  return `${clock}  ${exchange.request.method} ${name} → ${outcome}`;
}

function shortPath(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}
