// The Session tab's token cards from the session's token timeline: facts and rows per auth configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenEvent } from '../../../src/core/model/tokenEvent';
import { formatClock } from '../../../src/shared/panel/format';
import { tokenCards } from '../../../src/shared/panel/tokens';

const now = Date.UTC(2026, 0, 5, 10, 10, 0);
const at = (secondsAgo: number) => now - secondsAgo * 1000;
const clock = (secondsAgo: number) => formatClock(at(secondsAgo));
const issued = (secondsAgo: number, expiresIn: number, extra: Partial<TokenEvent> = {}): TokenEvent => ({
  kind: 'issued', at: at(secondsAgo), configName: 'api', grant: 'client_credentials', scope: 'read', expiresAt: at(secondsAgo - expiresIn), ...extra,
});
const event = (kind: TokenEvent['kind'], secondsAgo: number, extra: Partial<TokenEvent> = {}): TokenEvent => ({ kind, at: at(secondsAgo), configName: 'api', ...extra });

const cases: readonly (readonly [what: string, events: TokenEvent[], facts: string[], rows: string[]])[] = [
  [
    'issued and reused: the expiry counts down, the uses are one row',
    [issued(60, 300), event('used', 50), event('used', 40), event('used', 30)],
    [`Issued: ${clock(60)} by client credentials with scope read`, `Expires: ${clock(-240)} (in 4m 00s)`, `Last used: ${clock(30)} (3 requests reused it)`],
    [`Issued ${clock(60)} by client credentials with scope read, expires ${clock(-240)}`, `Used ${clock(50)} 3 requests, the last at ${clock(30)}`],
  ],
  [
    'refreshed: the expiry is the new token\'s',
    [issued(600, 300), event('expired', 100, { expiresAt: at(300) }), event('refreshed', 100, { grant: 'refresh_token', expiresAt: at(-200) })],
    [`Issued: ${clock(600)} by client credentials with scope read`, `Refreshed: ${clock(100)}`, `Expires: ${clock(-200)} (in 3m 20s)`],
    [`Issued ${clock(600)} by client credentials with scope read, expires ${clock(300)}`, `Expired ${clock(100)} valid until ${clock(300)}`, `Refreshed ${clock(100)} by refresh token, expires ${clock(-200)}`],
  ],
  [
    'revoked (forgotten): no expiry shown, the end is',
    [issued(60, 300, { scope: undefined }), event('revoked', 10)],
    [`Issued: ${clock(60)} by client credentials`, `Revoked or forgotten: ${clock(10)}`],
    [`Issued ${clock(60)} by client credentials, expires ${clock(-240)}`, `Revoked or forgotten ${clock(10)} `],
  ],
  [
    'past its expiry and not used since: says how long ago',
    [issued(400, 300)],
    [`Issued: ${clock(400)} by client credentials with scope read`, `Expires: ${clock(100)} (expired 1m 40s ago)`],
    [`Issued ${clock(400)} by client credentials with scope read, expires ${clock(100)}`],
  ],
  [
    'no expires_in from the server',
    [issued(60, 0, { expiresAt: undefined })],
    [`Issued: ${clock(60)} by client credentials with scope read`, 'Expires: Not said by the server'],
    [`Issued ${clock(60)} by client credentials with scope read`],
  ],
];

test('token cards: facts and timeline rows per case', () => {
  for (const [what, events, facts, rows] of cases) {
    const [card, ...others] = tokenCards(events, now);
    assert.equal(others.length, 0, what);
    assert.equal(card!.configName, 'api', what);
    assert.deepEqual(card!.facts.map((fact) => `${fact.label}: ${fact.value}`), facts, what);
    assert.deepEqual(card!.timeline.map((row) => `${row.label} ${row.clock} ${row.detail}`), rows, what);
  }
});

test('one card per auth configuration, in the order first used; no token value in any text', () => {
  const events = [issued(60, 300), issued(50, 300, { configName: 'admin', grant: 'password' }), event('used', 10)];
  const cards = tokenCards(events, now);
  assert.deepEqual(cards.map((card) => card.configName), ['api', 'admin']);
  assert.match(cards[1]!.facts[0]!.value, /by password with scope read$/);
});
