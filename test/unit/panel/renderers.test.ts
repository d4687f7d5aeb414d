import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statusLine, statusPhrase, statusClass } from '../../../src/shared/panel/statusPhrase';
import { formatBytes, formatDuration } from '../../../src/shared/panel/format';
import { timingSegments } from '../../../src/shared/panel/timing';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { buildCurl, shellQuote } from '../../../src/shared/panel/curl';
import { displayHeaderValue } from '../../../src/shared/panel/mask';
import { cookieTables, parseSetCookie, expiryText } from '../../../src/shared/panel/cookies';
import { idleBracketText, idleNowMs, idleNowText, sessionFacts, sessionTimeline } from '../../../src/shared/panel/session';
import { statusView, summaryCounts, findingsTitle } from '../../../src/shared/panel/viewModel';
import { classifyBody, toBase64, toWireExchange, bodyViewOf } from '../../../src/shared/panel/body';
import { fixtureNow, sampleExchange, sampleLifecycles, sampleTokenEvents } from '../../support/panelFixtures';
import type { Exchange } from '../../../src/core/model/exchange';

describe('status line', () => {
  const cases: [number, string, string][] = [
    [200, '', '200 OK'], // Tomcat: no reason phrase
    [200, '   ', '200 OK'],
    [302, '', '302 Found'],
    [401, '', '401 Unauthorized'],
    [403, 'Verboten', '403 Verboten'], // the server's own phrase wins
    [418, '', "418 I'm a teapot"],
    [599, '', '599'], // unknown code, no phrase
  ];
  for (const [status, text, expected] of cases) test(`${status} ${JSON.stringify(text)} → ${expected}`, () => assert.equal(statusLine(status, text), expected));
  test('phrases and classes', () => {
    assert.equal(statusPhrase(204), 'No Content');
    assert.equal(statusPhrase(999), '');
    assert.deepEqual([101, 204, 304, 404, 503, undefined].map(statusClass), ['info', 'success', 'redirect', 'client-error', 'server-error', 'error']);
  });
});

describe('formatting', () => {
  test('sizes', () => assert.deepEqual([0, 512, 1536, 5 * 1024 * 1024].map(formatBytes), ['0 B', '512 B', '1.5 KB', '5.0 MB']));
  test('durations', () => assert.deepEqual([0.4, 85, 1234, 245_000, 7_380_000].map(formatDuration), ['0 ms', '85 ms', '1.23 s', '4m 05s', '2h 03m']));
});

describe('timing bar', () => {
  test('segments are proportional to the total and laid end to end', () => {
    const segments = timingSegments({ connectMs: 10, tlsMs: 20, firstByteMs: 50, downloadMs: 20, totalMs: 100 });
    assert.deepEqual(
      segments.map((s) => [s.phase, s.offsetPercent, s.widthPercent]),
      [['connect', 0, 10], ['tls', 10, 20], ['firstByte', 30, 50], ['download', 80, 20]],
    );
    assert.equal(segments[2].text, 'Waiting (first byte): 50 ms');
  });
  test('a reused connection has no connect or TLS segment', () => {
    const segments = timingSegments({ firstByteMs: 30, downloadMs: 10, totalMs: 80 });
    assert.deepEqual(segments.map((s) => [s.phase, s.offsetPercent, s.widthPercent]), [['firstByte', 0, 37.5], ['download', 37.5, 12.5]]);
  });
  test('phases that add up to more than the total never overflow the bar', () => {
    const segments = timingSegments({ connectMs: 60, firstByteMs: 60, totalMs: 100 });
    const end = segments.at(-1)!;
    assert.equal(end.offsetPercent + end.widthPercent, 100);
  });
  test('nothing to draw without time', () => assert.deepEqual(timingSegments({ totalMs: 0 }), []));
});

describe('copy as cURL', () => {
  test('shell quoting', () => {
    assert.equal(shellQuote('abc'), 'abc');
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote('a b$c`d"e'), `'a b$c\`d"e'`);
  });
  test('POST with headers, secrets kept, and a body with quotes and newlines', () => {
    const request: Exchange['request'] = {
      method: 'POST',
      url: 'http://localhost:8080/api/login?next=/home&x=1',
      headers: [
        ['Host', 'localhost:8080'],
        ['Content-Type', 'application/json'],
        ['Content-Length', '57'],
        ['Cookie', 'JSESSIONID=ABC123'],
        ['Authorization', "Bearer it's-secret"],
        ['Accept-Encoding', 'gzip, deflate'],
      ],
      bodySize: 57,
      bodyText: `{"user": "o'brien",\n "note": "say \\"hi\\" $HOME \`id\`"}`,
    };
    const { command, complete } = buildCurl(request, { followRedirects: true });
    assert.equal(complete, true);
    assert.equal(
      command,
      [
        `curl -X POST 'http://localhost:8080/api/login?next=/home&x=1'`,
        `  -H 'Content-Type: application/json'`,
        `  -H 'Cookie: JSESSIONID=ABC123'`,
        `  -H 'Authorization: Bearer it'\\''s-secret'`,
        `  --compressed`,
        `  --data-raw '{"user": "o'\\''brien",\n "note": "say \\"hi\\" $HOME \`id\`"}'`,
        `  -L`,
      ].join(' \\\n'),
    );
  });
  test('GET has no -X; HEAD uses --head; a body that was not recorded makes it incomplete', () => {
    assert.equal(buildCurl({ method: 'GET', url: 'http://h/', headers: [], bodySize: 0 }).command, 'curl http://h/');
    assert.equal(buildCurl({ method: 'HEAD', url: 'http://h/', headers: [], bodySize: 0 }).command, 'curl --head http://h/');
    assert.equal(buildCurl({ method: 'PUT', url: 'http://h/', headers: [], bodySize: 10 }).complete, false);
  });

  test('a URL with [1-20] or {a,b} runs as ONE request in a real shell with curl (globbing off)', async () => {
    const paths: string[] = [];
    const server = createServer((request, response) => {
      paths.push(request.url ?? '');
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/items/[1-20]?tags={a,b}`;
      const { command } = buildCurl({ method: 'DELETE', url, headers: [], bodySize: 0 });
      assert.match(command, /\n  -g$/);
      await promisify(execFile)('sh', ['-c', `${command} --silent --output /dev/null`]);
      assert.deepEqual(paths, ['/items/[1-20]?tags={a,b}']);
    } finally {
      server.close();
    }
  });
});

describe('masking', () => {
  test('secret headers are masked unless revealed, keeping their structure', () => {
    assert.equal(displayHeaderValue('Cookie', 'JSESSIONID=9F86D081884C7D659A2FEAA0C55AD015; theme=dark', false), 'JSESSIONID=9F86…D015; theme=••••••');
    assert.equal(displayHeaderValue('authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.payload', false), 'Bearer eyJh…load');
    assert.equal(displayHeaderValue('Set-Cookie', 'SESSION=0123456789abcdef0123456789abcdef; Path=/; HttpOnly', false), 'SESSION=0123…cdef; Path=/; HttpOnly');
    assert.equal(displayHeaderValue('X-Auth-Token', 'sk_test_12345', false), '••••••');
    assert.equal(displayHeaderValue('Cookie', 'a=b', true), 'a=b');
    assert.equal(displayHeaderValue('Accept', 'text/html', false), 'text/html');
  });
});

describe('cookie rows', () => {
  const exchange = sampleExchange();
  const jar = [{ name: 'JSESSIONID', value: '9F86D081884C7D659A2FEAA0C55AD015', domain: 'localhost', path: '/', secure: true, httpOnly: true, hostOnly: true, sameSite: 'strict' }];
  test('sent cookies carry their source, and the jar record fills domain, path, expiry and flags', () => {
    const tables = cookieTables(exchange.cookies, exchange.request.url, jar);
    assert.deepEqual(tables.sent[0], {
      name: 'JSESSIONID', value: '9F86D081884C7D659A2FEAA0C55AD015', maskedValue: '9F86…D015', domain: 'localhost', path: '/',
      expires: 'Session', flags: ['Secure', 'HttpOnly', 'SameSite=Strict', 'HostOnly'], note: 'jar',
    });
    assert.equal(tables.sent[1].note, 'header');
    assert.equal(tables.sent[1].domain, '—');
  });
  test('stored and rejected rows', () => {
    const tables = cookieTables(exchange.cookies, exchange.request.url);
    assert.deepEqual(tables.stored[0], { name: 'theme', value: 'light', maskedValue: '••••••', domain: 'localhost', path: '/', expires: '2025-01-15 11:30:00Z', flags: ['SameSite=Lax', 'HostOnly'], note: '' });
    assert.deepEqual(tables.rejected[0], { name: 'tracker', value: 'abc', maskedValue: '••••••', domain: 'example.com', path: '/', expires: 'Session', flags: [], note: "Cookie not in this host's domain" });
  });
  test('Set-Cookie parsing', () => {
    assert.deepEqual(parseSetCookie('SESSION=x; Max-Age=0; Path=/app; Secure; HttpOnly; SameSite=none'), { name: 'SESSION', value: 'x', domain: '—', path: '/app', expires: 'Max-Age=0', flags: ['Secure', 'HttpOnly', 'SameSite=None'] });
    assert.equal(expiryText(undefined), 'Session');
  });
  test('a jar cookie from another host is not matched', () => {
    const other = [{ ...jar[0], domain: 'example.com' }];
    assert.equal(cookieTables(exchange.cookies, exchange.request.url, other).sent[0].domain, '—');
  });
});

describe('session timeline and idle bracket', () => {
  const [lifecycle] = sampleLifecycles();
  test('timeline rows in time order with offsets and the request that caused them', () => {
    const rows = sessionTimeline(lifecycle, 'ex-login');
    assert.deepEqual(rows.map((r) => [r.kind, r.label, r.offset, r.current]), [['issued', 'Issued', '', false], ['rotated', 'Rotated', '+5m 00s', true]]);
    assert.equal(rows[1].detail, 'by login (/login) — new session id (e.g. at login)');
    assert.equal(rows[0].detail, 'by home (/)');
  });
  test('a rejection shows the idle gap', () => {
    const rows = sessionTimeline({ ...lifecycle, events: [{ kind: 'rejected-by-server', cookieName: 'JSESSIONID', domain: 'localhost', path: '/', at: 1, exchangeId: 'x', url: 'http://h/api', idleGapMs: 1_860_000 }] });
    assert.equal(rows[0].label, 'Not recognised by the server');
    assert.equal(rows[0].detail, 'by /api — after 31m 00s idle');
  });
  test('idle bracket text', () => {
    assert.equal(idleBracketText({ longestWorkingIdleMs: 240_000, shortestFailedIdleMs: 1_800_000 }), 'Between 4m 00s and 30m 00s (still worked after 4m 00s idle; forgotten after 30m 00s idle).');
    assert.equal(idleBracketText({ longestWorkingIdleMs: 240_000 }), 'Longer than 4m 00s (still worked after 4m 00s idle; no expiry seen yet).');
    assert.equal(idleBracketText({ shortestFailedIdleMs: 1_800_000 }), 'At most 30m 00s (forgotten after 30m 00s idle).');
    assert.equal(idleBracketText({}), 'Not observed yet: it shows once the session survives, or loses, an idle gap.');
    assert.match(idleBracketText({ longestWorkingIdleMs: 600_000, shortestFailedIdleMs: 60_000 }), /^Inconsistent: it still worked after 10m 00s idle but was forgotten after only 1m 00s/);
  });
  test('idle now counts from the last use, and stops when the server ended the session', () => {
    assert.equal(idleNowMs(lifecycle, fixtureNow + 10_000), 15_000);
    assert.equal(idleNowText(lifecycle, fixtureNow + 10_000), '15.00 s');
    assert.equal(idleNowText({ ...lifecycle, endedAt: fixtureNow }, fixtureNow + 10_000), 'Ended');
    assert.equal(idleNowText({ cookieName: 'S', domain: 'h', path: '/', events: [] }, 0), 'Not used yet');
  });
  test('facts in reading order', () => {
    const facts = sessionFacts(lifecycle, fixtureNow);
    assert.deepEqual(facts.map((f) => f.label), ['Issued', 'Rotated', 'Last sent', 'Last success', 'Idle now', 'Server idle timeout']);
    assert.match(facts[0].value, /^\d\d:\d\d:\d\d by home$/);
    assert.match(facts[1].value, /by login \(\/login\)$/);
  });
});

describe('status view, counts and bodies', () => {
  test('a response', () => {
    const view = statusView(toWireExchange(sampleExchange()));
    assert.deepEqual(view, { statusText: '200 OK', statusClass: 'success', timeText: '50 ms', sizeText: '107 B', connectionText: 'New connection' });
  });
  test('a truncated body says so; a failed exchange shows its error code', () => {
    const base = sampleExchange();
    const truncated = toWireExchange({ ...base, connectionReused: true, response: { ...base.response!, bodySize: 2 * 1024 * 1024, truncated: true } });
    assert.equal(statusView(truncated).sizeText, '107 B of 2.0 MB (truncated)');
    assert.equal(statusView(truncated).connectionText, 'Reused connection');
    const cutAtCap = toWireExchange({ ...base, response: { ...base.response!, truncated: true } });
    assert.equal(statusView(cutAtCap).sizeText, '107 B (truncated)', 'the transport read no more than it kept');
    const compressed = toWireExchange({ ...base, response: { ...base.response!, encodedBodySize: 90 } });
    assert.equal(statusView(compressed).sizeText, '107 B (90 B on the wire)');
    const failed = toWireExchange({ ...base, response: undefined, error: { code: 'UND_ERR_CONNECT_TIMEOUT', message: 'Connect timeout after 10 s' } });
    assert.deepEqual(statusView(failed), { statusText: 'UND_ERR_CONNECT_TIMEOUT', statusClass: 'error', timeText: '50 ms', sizeText: '—', connectionText: 'New connection', errorMessage: 'Connect timeout after 10 s' });
  });
  test('counts and the findings title', () => {
    assert.deepEqual(summaryCounts(toWireExchange(sampleExchange()), sampleLifecycles(), sampleTokenEvents()), {
      requestHeaders: 3, responseHeaders: 3, cookiesSent: 2, cookiesStored: 1, cookiesRejected: 1, redirects: 1, sessionCookies: 1, sessionEvents: 2, tokens: 1, tokenEvents: 6, findings: 0, tests: 0, testsFailed: 0, scriptLogLines: 0,
    });
    assert.equal(findingsTitle(401), 'Why 401?');
    assert.equal(findingsTitle(200), 'Findings');
  });
  test('body classification and wire form', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    assert.equal(classifyBody('application/problem+json', bytes('{}')), 'json');
    assert.equal(classifyBody('image/svg+xml', bytes('<svg/>')), 'xml');
    assert.equal(classifyBody('image/png', new Uint8Array([137, 80])), 'image');
    assert.equal(classifyBody('', bytes('[1]')), 'json');
    assert.equal(classifyBody('', new Uint8Array([0, 255, 254])), 'binary');
    assert.equal(classifyBody('application/octet-stream', bytes('text')), 'binary');
    assert.equal(classifyBody('text/plain', new Uint8Array()), 'empty');
    for (const n of [0, 1, 2, 3, 4, 5, 300]) {
      const data = Uint8Array.from({ length: n }, (_, i) => (i * 37) % 256);
      assert.equal(toBase64(data), Buffer.from(data).toString('base64'));
    }
    const wire = toWireExchange(sampleExchange());
    assert.equal(wire.response?.mediaType, 'application/json');
    assert.deepEqual(wire.response?.body, { kind: 'text', text: new TextDecoder().decode(sampleExchange().response!.body), cut: false });
    assert.equal(JSON.stringify(wire).includes('"0":'), false, 'no Uint8Array left in the wire form');
    assert.equal(bodyViewOf('text/plain', { kind: 'text', text: '{"a":1}', cut: false }), 'text');
  });
});
