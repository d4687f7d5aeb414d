// Exchanges for the panel's tests and benchmark: a realistic login-then-call exchange with a
// rotated JSESSIONID, JSON bodies of a given size, and script payloads for the XSS checks.
import type { Exchange, SessionCookieLifecycle } from '../../src/core/model/exchange';
import type { ShowMessage, TokenEvent } from '../../src/shared/protocol';
import { toWireExchange } from '../../src/shared/panel/body';

const encoder = new TextEncoder();
export const fixtureNow = Date.UTC(2025, 0, 15, 10, 30, 0);

export function sampleExchange(overrides: Partial<Exchange> = {}, body = '{"id":42,"name":"Ada","roles":["admin","user"],"active":true,"manager":null,"balance":12345678901234567890}'): Exchange {
  return {
    id: 'ex-1',
    sessionName: 'default',
    startedAt: fixtureNow - 5_000,
    request: {
      name: 'profile',
      source: { file: '/ws/api.http', line: 12 },
      method: 'GET',
      url: 'http://localhost:8080/api/profile?full=1',
      headers: [
        ['Accept', 'application/json'],
        ['Cookie', 'JSESSIONID=9F86D081884C7D659A2FEAA0C55AD015; theme=dark'],
        ['User-Agent', 'http-session/0.1'],
      ],
      bodySize: 0,
    },
    response: {
      status: 200,
      statusText: '', // Tomcat sends no reason phrase
      httpVersion: '1.1',
      headers: [
        ['Content-Type', 'application/json;charset=UTF-8'],
        ['X-Request-Id', 'req-7781'],
        ['Set-Cookie', 'theme=light; Path=/; Max-Age=3600'],
      ],
      body: encoder.encode(body),
      bodySize: encoder.encode(body).length,
      truncated: false,
      url: 'http://localhost:8080/api/profile?full=1',
    },
    timings: { connectMs: 3.2, firstByteMs: 41.5, downloadMs: 4.1, totalMs: 50.3 },
    connectionReused: false,
    cookies: {
      sent: [
        { name: 'JSESSIONID', value: '9F86D081884C7D659A2FEAA0C55AD015', source: 'jar' },
        { name: 'theme', value: 'dark', source: 'header' },
      ],
      stored: [{ name: 'theme', value: 'light', domain: 'localhost', path: '/', expires: '2025-01-15T11:30:00.000Z', secure: false, httpOnly: false, hostOnly: true, sameSite: 'lax' }],
      rejected: [{ setCookie: 'tracker=abc; Domain=example.com; Path=/', url: 'http://localhost:8080/api/profile', reason: "Cookie not in this host's domain" }],
    },
    redirects: [
      {
        method: 'GET',
        url: 'http://localhost:8080/api/me',
        status: 302,
        location: '/api/profile?full=1',
        cookies: { sent: [{ name: 'JSESSIONID', value: '9F86D081884C7D659A2FEAA0C55AD015', source: 'jar' }], stored: [], rejected: [] },
      },
    ],
    sessionEvents: [],
    findings: [],
    ...overrides,
  };
}

export function sampleLifecycles(): SessionCookieLifecycle[] {
  const base = { cookieName: 'JSESSIONID', domain: 'localhost', path: '/', url: 'http://localhost:8080/login' };
  return [
    {
      cookieName: 'JSESSIONID',
      domain: 'localhost',
      path: '/',
      issuedAt: fixtureNow - 600_000,
      issuedBy: 'home',
      lastRotatedAt: fixtureNow - 300_000,
      lastSentAt: fixtureNow - 5_000,
      lastSuccessAt: fixtureNow - 5_000,
      longestWorkingIdleMs: 240_000,
      shortestFailedIdleMs: 1_800_000,
      events: [
        { ...base, kind: 'issued', at: fixtureNow - 600_000, exchangeId: 'ex-0', requestName: 'home', url: 'http://localhost:8080/' },
        { ...base, kind: 'rotated', at: fixtureNow - 300_000, exchangeId: 'ex-login', requestName: 'login' },
      ],
    },
  ];
}

/** A client-credentials token issued ten minutes ago, reused twice, expired, issued again and reused. */
export function sampleTokenEvents(): TokenEvent[] {
  const obtained = { configName: 'api', grant: 'client_credentials', scope: 'read' } as const;
  return [
    { ...obtained, kind: 'issued', at: fixtureNow - 600_000, expiresAt: fixtureNow - 300_000 },
    { kind: 'used', at: fixtureNow - 500_000, configName: 'api' },
    { kind: 'used', at: fixtureNow - 400_000, configName: 'api' },
    { kind: 'expired', at: fixtureNow - 60_000, configName: 'api', expiresAt: fixtureNow - 300_000 },
    { ...obtained, kind: 'issued', at: fixtureNow - 60_000, expiresAt: fixtureNow + 240_000 },
    { kind: 'used', at: fixtureNow - 30_000, configName: 'api' },
  ];
}

export function showMessage(exchange: Exchange, lifecycles: SessionCookieLifecycle[] = sampleLifecycles(), tokenEvents: TokenEvent[] = sampleTokenEvents()): ShowMessage {
  return {
    type: 'show',
    exchange: toWireExchange(exchange),
    lifecycles,
    jarCookies: [{ name: 'JSESSIONID', value: '9F86D081884C7D659A2FEAA0C55AD015', domain: 'localhost', path: '/', secure: false, httpOnly: true, hostOnly: true }],
    tokenEvents,
    history: [
      { exchangeId: exchange.id, label: `10:29:55  GET profile → ${exchange.response?.status ?? 'error'}`, startedAt: exchange.startedAt, status: exchange.response?.status },
      { exchangeId: 'ex-login', label: '10:25:00  POST login → 302', startedAt: fixtureNow - 300_000, status: 302 },
    ],
    now: fixtureNow,
  };
}

/** A JSON array of records, about `bytes` long. */
export function largeJson(bytes: number): string {
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const record = JSON.stringify({ id: i, name: `user-${i}`, email: `user${i}@example.com`, tags: ['a', 'b', 'c'], score: i * 1.5, active: i % 2 === 0, address: { city: 'Berlin', zip: String(10000 + (i % 9000)) } });
    parts.push(record);
    size += record.length + 1;
  }
  return `[${parts.join(',')}]`;
}

/**
 * Script payloads in the usual breakout shapes (a script element, an event handler, a javascript:
 * link, a </textarea> breakout, an attribute breakout). Each runs `effect` if it ever executes, so
 * a test chooses something it can observe from outside the page.
 */
export function xssPayloads(effect = 'window.__pwned=1'): string[] {
  return [
    `<script>${effect}</script>`,
    `<img src=x onerror="${effect}">`,
    `<a href="javascript:${effect}">click</a>`,
    `</textarea><script>${effect}</script>`,
    `"><svg onload="${effect}">`,
  ];
}
